#include "app/state/clip_share.h"

#include <array>
#include <cstring>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace ser::app {

namespace {

constexpr std::array<char, 8> magic = {'s', 'e', 'r', 's', 'h', 'r', '0', '1'};

class Writer {
public:
    template <class T>
    void put(const T& value) {
        static_assert(std::is_trivially_copyable_v<T>);
        const auto* p = reinterpret_cast<const std::uint8_t*>(&value);
        bytes.insert(bytes.end(), p, p + sizeof value);
    }
    void put_floats(const std::vector<float>& values) {
        const auto* p = reinterpret_cast<const std::uint8_t*>(values.data());
        bytes.insert(bytes.end(), p, p + values.size() * sizeof(float));
    }
    std::vector<std::uint8_t> bytes;
};

class Reader {
public:
    explicit Reader(std::span<const std::uint8_t> bytes) : bytes_(bytes) {}

    template <class T>
    T get(const char* what) {
        T value;
        std::memcpy(&value, take(sizeof value, what), sizeof value);
        return value;
    }
    void get_floats(std::vector<float>& out, std::uint64_t count, const char* what) {
        if (count > bytes_.size() / sizeof(float)) throw cut_short(what);
        out.resize(static_cast<std::size_t>(count));
        if (out.empty()) return;  // an empty vector's data() may be null, which memcpy must not get
        std::memcpy(out.data(), take(out.size() * sizeof(float), what), out.size() * sizeof(float));
    }
    bool done() const { return at_ == bytes_.size(); }

private:
    const std::uint8_t* take(std::size_t n, const char* what) {
        if (bytes_.size() - at_ < n) throw cut_short(what);
        const std::uint8_t* p = bytes_.data() + at_;
        at_ += n;
        return p;
    }
    static std::invalid_argument cut_short(const char* what) {
        return std::invalid_argument(std::string("clip share: the bytes end inside ") + what +
                                     ": the share was cut short in transfer; analyse the clip again");
    }

    std::span<const std::uint8_t> bytes_;
    std::size_t at_ = 0;
};

}  // namespace

std::vector<std::uint8_t> share_bytes(const SharePart& part) {
    const ClipWindows& w = part.windows;
    Writer out;
    out.put(magic);
    out.put(part.sample_rate);
    out.put(part.analysis_ms);
    out.put(std::int32_t{w.share.index});
    out.put(std::int32_t{w.share.count});
    out.put(std::int32_t{w.share.stretch_windows});
    out.put(std::int64_t{w.total});
    out.put(static_cast<std::uint64_t>(w.windows.size()));
    out.put(static_cast<std::uint64_t>(w.levels.size()));
    for (std::size_t i = 0; i < w.windows.size(); ++i) {
        const WindowResult& r = w.windows[i];
        out.put(static_cast<std::uint64_t>(w.starts[i]));
        out.put(r.start_s);
        out.put(r.end_s);
        out.put(r.activity.loud_dbfs);
        out.put(r.activity.quiet_dbfs);
        out.put(r.activity.speech_fraction);
        out.put(static_cast<std::uint8_t>(r.activity.is_speech));
        out.put(static_cast<std::uint8_t>(r.activity.verdict));
        out.put(static_cast<std::uint64_t>(r.probabilities.size()));
        out.put_floats(r.probabilities);
    }
    out.put_floats(w.levels);
    return std::move(out.bytes);
}

SharePart share_from_bytes(std::span<const std::uint8_t> bytes) {
    Reader in(bytes);
    if (in.get<std::array<char, 8>>("the header") != magic)
        throw std::invalid_argument("clip share: these bytes are not a clip share of this build: reload the page");
    SharePart part;
    ClipWindows& w = part.windows;
    part.sample_rate = in.get<double>("the sample rate");
    part.analysis_ms = in.get<double>("the analysis time");
    w.share.index = in.get<std::int32_t>("the share");
    w.share.count = in.get<std::int32_t>("the share");
    w.share.stretch_windows = in.get<std::int32_t>("the share");
    w.total = in.get<std::int64_t>("the clip's length");
    const auto windows = in.get<std::uint64_t>("the window count");
    const auto levels = in.get<std::uint64_t>("the level count");
    for (std::uint64_t i = 0; i < windows; ++i) {
        WindowResult r;
        w.starts.push_back(static_cast<std::size_t>(in.get<std::uint64_t>("a window")));
        r.start_s = in.get<double>("a window");
        r.end_s = in.get<double>("a window");
        r.activity.loud_dbfs = in.get<float>("a window");
        r.activity.quiet_dbfs = in.get<float>("a window");
        r.activity.speech_fraction = in.get<float>("a window");
        r.activity.is_speech = in.get<std::uint8_t>("a window") != 0;
        const auto verdict = in.get<std::uint8_t>("a window");
        if (verdict > static_cast<std::uint8_t>(Activity::speech)) throw std::invalid_argument("clip share: a window's verdict is unknown");
        r.activity.verdict = static_cast<Activity>(verdict);
        in.get_floats(r.probabilities, in.get<std::uint64_t>("a window"), "a window's probabilities");
        w.windows.push_back(std::move(r));
    }
    in.get_floats(w.levels, levels, "the frame levels");
    if (!in.done()) throw std::invalid_argument("clip share: bytes follow the frame levels: the share is not of this build");
    return part;
}

}  // namespace ser::app
