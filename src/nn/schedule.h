#pragma once
// Learning-rate schedules over (possibly fractional) epochs: constant, step decay, cosine
// annealing, or reduce-on-plateau, each with an optional linear warm-up in front.

namespace ser::nn {

enum class ScheduleKind { constant, step, cosine, plateau };

struct ScheduleConfig {
    ScheduleKind kind = ScheduleKind::constant;
    double base_lr = 1e-3;
    double warmup_epochs = 0.0;      // linear ramp from warmup_start * base_lr to base_lr
    double warmup_start = 0.1;
    int step_epochs = 10;            // step: multiply by gamma every step_epochs
    double gamma = 0.5;
    double total_epochs = 100.0;     // cosine: reach min_lr here (after warm-up)
    double min_lr = 0.0;             // cosine floor, plateau floor
    double factor = 0.5;             // plateau: multiply by factor...
    int patience = 5;                // ...after this many epochs without improvement
    double threshold = 1e-4;         // relative improvement that counts
    bool maximise = false;           // plateau: the observed metric should go up (accuracy, UAR)
};

class LrSchedule {
public:
    explicit LrSchedule(ScheduleConfig config);
    double at(double epoch) const;
    // Reduce-on-plateau: report the validation metric at the end of each epoch.
    void observe(double metric);

private:
    ScheduleConfig c_;
    double plateau_lr_;
    double best_;
    bool has_best_ = false;
    int bad_epochs_ = 0;
};

}  // namespace ser::nn
