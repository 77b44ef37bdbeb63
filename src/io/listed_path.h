#pragma once
// One entry of a batch's input as the user listed it, or why a listing could not go on
// (a folder that cannot be read): the batch reports that as a failed entry and continues.

#include <string>

namespace ser {

struct ListedPath {
    std::string path;   // as listed: the argument, argument/inside/folder, or the manifest's line
    std::string error;  // empty unless this entry stands for a failure
};

}  // namespace ser
