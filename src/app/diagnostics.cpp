#include "app/diagnostics.h"

#include <nlohmann/json.hpp>

namespace ser::app {

namespace {

nlohmann::json stream_json(const StreamMonitor& s) {
    return {{"rate", s.sample_rate()},
            {"samples", s.samples_received()},
            {"level_dbfs", s.level_dbfs()},
            {"block_dbfs", s.block_dbfs()},
            {"peak", s.peak()}};
}

}  // namespace

std::string diagnostics_json(const DiagnosticsInput& in) {
    nlohmann::json mic = stream_json(in.intake.mic());
    mic["state"] = to_string(in.intake.mic_state());
    mic["message"] = in.intake.mic_message();

    nlohmann::json clips = nlohmann::json::array();
    for (const Clip& c : in.intake.clips()) {
        clips.push_back({{"id", c.id},
                         {"name", c.name},
                         {"state", to_string(c.state)},
                         {"rate", c.sample_rate},
                         {"expected_samples", c.expected_samples},
                         {"samples", c.received_samples},
                         {"message", c.message}});
    }

    const float to_css = in.display.pixel_ratio > 0.0f ? 1.0f / in.display.pixel_ratio : 1.0f;
    nlohmann::json items = nlohmann::json::object();
    for (const NamedRect& item : in.items.items()) {
        const Rect& r = item.rect;
        items[item.name] = {{"x", r.x * to_css}, {"y", r.y * to_css}, {"width", r.width * to_css},
                            {"height", r.height * to_css}};
    }

    const DisplayInfo& d = in.display;
    return nlohmann::json{{"frames", in.frames_drawn},
                          {"display",
                           {{"css", {d.css_width, d.css_height}},
                            {"framebuffer", {d.framebuffer_width, d.framebuffer_height}},
                            {"pixel_ratio", d.pixel_ratio}}},
                          {"mic", mic},
                          {"clip_stream", stream_json(in.intake.clip_stream())},
                          {"clips", clips},
                          {"error", in.intake.last_error()},
                          {"items", items}}
        // File names come from the user: never let odd bytes in one break the whole report.
        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace ser::app
