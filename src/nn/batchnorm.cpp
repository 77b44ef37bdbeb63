#include <cmath>
#include <stdexcept>

#include "nn/layers.h"

namespace ser::nn {

Shape BatchNorm::configure(Shape in) {
    const std::vector<int> shape{in.channels};
    if (!gamma) {
        gamma.emplace("gamma", shape, true, false);
        beta.emplace("beta", shape, true, false);
        running_mean.emplace("running_mean", shape, false, false);
        running_var.emplace("running_var", shape, false, false);
        init_parameters(0);
    } else if (gamma->shape != shape) {
        throw std::invalid_argument(where() + ": input has " + std::to_string(in.channels) +
                                    " channels but the parameters have " + std::to_string(gamma->shape[0]));
    }
    in_shape = out_shape = in;
    return in;
}

std::vector<Param*> BatchNorm::tensors() { return {&*gamma, &*beta, &*running_mean, &*running_var}; }

void BatchNorm::init_parameters(std::uint64_t) {
    std::fill(gamma->value.begin(), gamma->value.end(), 1.0f);
    std::fill(beta->value.begin(), beta->value.end(), 0.0f);
    std::fill(running_mean->value.begin(), running_mean->value.end(), 0.0f);
    std::fill(running_var->value.begin(), running_var->value.end(), 1.0f);
}

void BatchNorm::inference_affine(std::vector<float>& scale, std::vector<float>& shift) const {
    const std::size_t c = gamma->size();
    scale.resize(c);
    shift.resize(c);
    for (std::size_t i = 0; i < c; ++i) {
        scale[i] = gamma->value[i] / std::sqrt(running_var->value[i] + epsilon);
        shift[i] = beta->value[i] - running_mean->value[i] * scale[i];
    }
}

void BatchNorm::forward(const Batch& in, Batch& out, const Context& ctx) {
    const int c = in.shape.channels;
    const std::size_t rows = static_cast<std::size_t>(in.n) * in.shape.time;
    out.resize(in.n, in.shape);
    const float* x = in.data.data();
    float* y = out.data.data();

    if (!ctx.training()) {
        inference_affine(scale_, shift_);
        for (std::size_t r = 0; r < rows; ++r)
            for (int i = 0; i < c; ++i) y[r * c + i] = x[r * c + i] * scale_[i] + shift_[i];
        return;
    }

    // Batch statistics over samples and steps, accumulated in double so long batches stay exact.
    std::vector<double> sum(static_cast<std::size_t>(c), 0.0), sq(static_cast<std::size_t>(c), 0.0);
    for (std::size_t r = 0; r < rows; ++r)
        for (int i = 0; i < c; ++i) sum[i] += x[r * c + i];
    mean_.resize(c);
    inv_std_.resize(c);
    for (int i = 0; i < c; ++i) mean_[i] = static_cast<float>(sum[i] / static_cast<double>(rows));
    for (std::size_t r = 0; r < rows; ++r)
        for (int i = 0; i < c; ++i) {
            const double d = x[r * c + i] - mean_[i];
            sq[i] += d * d;
        }
    for (int i = 0; i < c; ++i) {
        const double var = sq[i] / static_cast<double>(rows);
        inv_std_[i] = static_cast<float>(1.0 / std::sqrt(var + epsilon));
        const double unbiased = rows > 1 ? sq[i] / static_cast<double>(rows - 1) : var;
        running_mean->value[i] = (1.0f - momentum) * running_mean->value[i] + momentum * mean_[i];
        running_var->value[i] = (1.0f - momentum) * running_var->value[i] + momentum * static_cast<float>(unbiased);
    }
    for (std::size_t r = 0; r < rows; ++r)
        for (int i = 0; i < c; ++i)
            y[r * c + i] = (x[r * c + i] - mean_[i]) * inv_std_[i] * gamma->value[i] + beta->value[i];
}

void BatchNorm::backward(const Batch& in, const Batch& /*out*/, const Batch& d_out, Batch* d_in, const Context&) {
    const int c = in.shape.channels;
    const std::size_t rows = static_cast<std::size_t>(in.n) * in.shape.time;
    const float* x = in.data.data();
    const float* dy = d_out.data.data();
    std::vector<double> dgamma(static_cast<std::size_t>(c), 0.0), dbeta(static_cast<std::size_t>(c), 0.0);
    for (std::size_t r = 0; r < rows; ++r)
        for (int i = 0; i < c; ++i) {
            const double xhat = (x[r * c + i] - mean_[i]) * inv_std_[i];
            dgamma[i] += dy[r * c + i] * xhat;
            dbeta[i] += dy[r * c + i];
        }
    for (int i = 0; i < c; ++i) {
        gamma->grad[i] = static_cast<float>(dgamma[i]);
        beta->grad[i] = static_cast<float>(dbeta[i]);
    }
    if (!d_in) return;
    d_in->resize(in.n, in.shape);
    float* dx = d_in->data.data();
    const double m = static_cast<double>(rows);
    for (std::size_t r = 0; r < rows; ++r)
        for (int i = 0; i < c; ++i) {
            const double xhat = (x[r * c + i] - mean_[i]) * inv_std_[i];
            dx[r * c + i] = static_cast<float>(gamma->value[i] * inv_std_[i] / m *
                                               (m * dy[r * c + i] - dbeta[i] - xhat * dgamma[i]));
        }
}

}  // namespace ser::nn
