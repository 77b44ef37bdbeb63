#pragma once
// The interface every layer implements: shape inference, forward (inference or training),
// backward, and the tensors it owns. Layers see batches in the channels-last layout of
// tensor.h; hyper-parameters are public plain fields so the scalar reference and the model
// file (src/model/network_json.h, which owns their JSON) can read and set them.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nn/tensor.h"
#include "nn/thread_pool.h"

namespace ser::nn {

enum class Mode { inference, training };

struct Context {
    Mode mode = Mode::inference;
    ThreadPool* pool = nullptr;  // null: run on the calling thread
    std::uint64_t seed = 0;      // dropout masks of this step (with layer and sample index)
    bool training() const { return mode == Mode::training; }
};

class Layer {
public:
    virtual ~Layer() = default;
    virtual const char* type() const = 0;

    // Checks the input shape, creates parameters on first use, returns the output shape.
    // Throws std::invalid_argument naming the layer when the shape does not fit.
    virtual Shape configure(Shape in) = 0;

    virtual void forward(const Batch& in, Batch& out, const Context& ctx) = 0;
    // Given the forward pass's in/out and dL/d(out), sets every parameter's gradient (for
    // this batch, not accumulated) and, when d_in is not null, dL/d(in).
    virtual void backward(const Batch& in, const Batch& out, const Batch& d_out, Batch* d_in,
                          const Context& ctx) = 0;

    // A copy with the same hyper-parameters, name and tensors (for Network::clone and folded).
    virtual std::unique_ptr<Layer> clone() const = 0;
    virtual std::vector<Param*> tensors() { return {}; }
    virtual void init_parameters(std::uint64_t /*seed*/) {}
    // Weights changed: drop anything precomputed from them (packed kernels).
    virtual void invalidate() {}

    // For the receptive field: how many input steps one output step spans, and the step.
    virtual int extent() const { return 1; }
    virtual int stride() const { return 1; }

    std::string name;
    int index = 0;  // position in the network; seeds dropout masks
    Shape in_shape, out_shape;

protected:
    std::string where() const;  // "layer 3 'conv2' (conv1d)" for error messages
};

}  // namespace ser::nn
