#include "nn/tensor.h"

#include <stdexcept>

namespace ser::nn {

std::string to_string(Shape s) {
    std::string out(1, '[');  // appends, not "literal" + string: that trips GCC 12's -Wrestrict
    out += std::to_string(s.channels);
    out += " channels][";
    out += std::to_string(s.time);
    out += " steps]";
    return out;
}

Param::Param(std::string n, std::vector<int> s, bool train, bool reg)
    : name(std::move(n)), shape(std::move(s)), trainable(train), regularised(reg) {
    long long count = 1;
    for (int d : shape) {
        count *= d;
        if (d < 1 || count > max_tensor_size)
            throw std::invalid_argument("parameter '" + name + "' would have more than " + std::to_string(max_tensor_size) +
                                        " values (or a zero dimension)");
    }
    value.assign(static_cast<std::size_t>(count), 0.0f);
    if (trainable) grad.assign(static_cast<std::size_t>(count), 0.0f);
}

}  // namespace ser::nn
