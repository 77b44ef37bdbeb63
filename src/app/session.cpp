#include "app/session.h"

namespace ser::app {

Session& session() {
    static Session instance;
    return instance;
}

}  // namespace ser::app
