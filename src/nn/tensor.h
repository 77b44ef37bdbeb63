#pragma once
// Activations and parameters: plain vectors of floats with their shapes.

#include <cstddef>
#include <string>
#include <vector>

namespace ser::nn {

// No tensor (weights or one sample's activations) may exceed this many values (256 MB):
// an absurd size in a model file is an error, not an attempt to allocate it.
inline constexpr long long max_tensor_size = 1LL << 26;

// The shape of one sample as the model file and callers see it: [channels][time].
struct Shape {
    int channels = 0;
    int time = 0;
    int size() const { return channels * time; }
    bool operator==(const Shape&) const = default;
};

std::string to_string(Shape s);

// A batch of activations. Stored channels-last, data[(n*time + t)*channels + c], so that
// kernels vectorise over channels and a convolution's input rows are contiguous.
// resize() never shrinks capacity: once warmed up, a forward pass allocates nothing.
struct Batch {
    int n = 0;
    Shape shape;
    std::vector<float> data;

    void resize(int n_samples, Shape s) {
        n = n_samples;
        shape = s;
        data.resize(static_cast<std::size_t>(n_samples) * static_cast<std::size_t>(s.size()));
    }
    std::size_t sample_size() const { return static_cast<std::size_t>(shape.size()); }
    float* sample(int i) { return data.data() + static_cast<std::size_t>(i) * sample_size(); }
    const float* sample(int i) const { return data.data() + static_cast<std::size_t>(i) * sample_size(); }
};

// A named tensor a layer owns: trainable parameters have a gradient of the same size;
// state (BatchNorm running statistics) is saved with the model but never trained.
struct Param {
    std::string name;
    std::vector<int> shape;
    std::vector<float> value;
    std::vector<float> grad;
    bool trainable = true;
    bool regularised = true;  // L1/L2 apply to kernels, not to biases or normalisation

    Param(std::string n, std::vector<int> s, bool train, bool reg);
    std::size_t size() const { return value.size(); }
};

}  // namespace ser::nn
