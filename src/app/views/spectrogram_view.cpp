#include "app/views/spectrogram_view.h"

#include <GLES3/gl3.h>

#include <algorithm>
#include <cstdint>

namespace ser::app {

SpectrogramView::~SpectrogramView() {
    if (texture_ != 0) glDeleteTextures(1, &texture_);
}

void SpectrogramView::upload(const Spectrogram& s) {
    const int width = static_cast<int>(s.capacity());
    const int height = s.bands();
    rgba_.resize(static_cast<std::size_t>(width) * static_cast<std::size_t>(height) * 4);
    const float top = s.peak_db();
    const float bottom = top - spectrogram_range_db;
    const Rgba empty = heat_colour(0.0f);
    // Row r of the texture is band r; column x is time, the newest column at the right.
    const std::size_t held = s.columns();
    const std::size_t first = static_cast<std::size_t>(width) - held;
    for (int x = 0; x < width; ++x) {
        const bool has = static_cast<std::size_t>(x) >= first;
        const std::span<const float> column = has ? s.column(static_cast<std::size_t>(x) - first) : std::span<const float>();
        for (int r = 0; r < height; ++r) {
            const Rgba c = has ? heat_colour((column[static_cast<std::size_t>(r)] - bottom) / spectrogram_range_db) : empty;
            std::uint8_t* px = rgba_.data() + (static_cast<std::size_t>(r) * static_cast<std::size_t>(width) +
                                               static_cast<std::size_t>(x)) * 4;
            px[0] = c.r;
            px[1] = c.g;
            px[2] = c.b;
            px[3] = c.a;
        }
    }
    if (texture_ == 0) glGenTextures(1, &texture_);
    glBindTexture(GL_TEXTURE_2D, texture_);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (width != width_ || height != height_) {
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
        width_ = width;
        height_ = height;
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, rgba_.data());
    }
}

Rect SpectrogramView::draw(const Spectrogram* s, ImVec2 size) {
    const ImVec2 min = ImGui::GetCursorScreenPos();
    if (s && (s != shown_ || s->version() != version_ || texture_ == 0)) {
        upload(*s);
        shown_ = s;
        version_ = s->version();
    }
    if (s && texture_ != 0) {
        // v runs from the top band (v = 1) down to the lowest (v = 0).
        ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<std::intptr_t>(texture_)), size, ImVec2(0.0f, 1.0f),
                     ImVec2(1.0f, 0.0f));
    } else {
        ImGui::Dummy(size);
        const Rgba c = heat_colour(0.0f);
        ImGui::GetWindowDrawList()->AddRectFilled(min, ImVec2(min.x + size.x, min.y + size.y), IM_COL32(c.r, c.g, c.b, 255));
    }
    return {min.x, min.y, size.x, size.y};
}

}  // namespace ser::app
