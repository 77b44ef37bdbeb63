#include "nn/layer.h"

#include <algorithm>
#include <stdexcept>

#include "nn/layers.h"

namespace ser::nn {

std::string Layer::where() const {
    return "layer " + std::to_string(index) + " '" + name + "' (" + type() + ")";
}

Window window_geometry(int time, int extent, int stride, Padding padding) {
    Window w;
    if (padding == Padding::valid) {
        w.out = time >= extent ? (time - extent) / stride + 1 : 0;
        w.padded = time;
        return w;
    }
    w.out = (time + stride - 1) / stride;
    const int total = std::max((w.out - 1) * stride + extent - time, 0);
    w.pad_left = total / 2;
    w.padded = time + total;
    return w;
}

}  // namespace ser::nn
