#include "model/base64.h"

#include <array>
#include <cstring>
#include <stdexcept>

namespace ser {
namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr std::array<int, 256> decode_table() {
    std::array<int, 256> t{};
    for (int& v : t) v = -1;
    for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(alphabet[i])] = i;
    return t;
}

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    std::string out;
    out.reserve((bytes.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
        const std::uint32_t v = (std::uint32_t{bytes[i]} << 16) | (std::uint32_t{bytes[i + 1]} << 8) | bytes[i + 2];
        out += alphabet[v >> 18];
        out += alphabet[(v >> 12) & 63];
        out += alphabet[(v >> 6) & 63];
        out += alphabet[v & 63];
    }
    if (const std::size_t rest = bytes.size() - i; rest > 0) {
        std::uint32_t v = std::uint32_t{bytes[i]} << 16;
        if (rest == 2) v |= std::uint32_t{bytes[i + 1]} << 8;
        out += alphabet[v >> 18];
        out += alphabet[(v >> 12) & 63];
        out += rest == 2 ? alphabet[(v >> 6) & 63] : '=';
        out += '=';
    }
    return out;
}

std::vector<std::uint8_t> base64_decode(std::string_view text) {
    static constexpr auto table = decode_table();
    if (text.size() % 4 != 0)
        throw std::invalid_argument("base64 text of " + std::to_string(text.size()) +
                                    " characters is not a multiple of 4 long (truncated?)");
    std::vector<std::uint8_t> out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        const int pad = last ? (text[i + 3] == '=') + (text[i + 2] == '=') : 0;
        std::uint32_t v = 0;
        for (int j = 0; j < 4; ++j) {
            const char c = text[i + static_cast<std::size_t>(j)];
            int d = 0;
            if (j >= 4 - pad) {
                if (c != '=') throw std::invalid_argument("base64: misplaced '=' padding");
            } else {
                d = table[static_cast<unsigned char>(c)];
                if (d < 0)
                    throw std::invalid_argument("base64: invalid character at position " + std::to_string(i + static_cast<std::size_t>(j)));
            }
            v = (v << 6) | static_cast<std::uint32_t>(d);
        }
        out.push_back(static_cast<std::uint8_t>(v >> 16));
        if (pad < 2) out.push_back(static_cast<std::uint8_t>((v >> 8) & 0xff));
        if (pad < 1) out.push_back(static_cast<std::uint8_t>(v & 0xff));
    }
    return out;
}

std::string fnv1a64_tag(std::span<const std::uint8_t> bytes) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (std::uint8_t b : bytes) {
        h ^= b;
        h *= 0x100000001b3ull;
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out = "fnv1a64:";
    for (int shift = 60; shift >= 0; shift -= 4) out += hex[(h >> shift) & 15];
    return out;
}

std::vector<std::uint8_t> floats_to_le_bytes(std::span<const float> values) {
    std::vector<std::uint8_t> out(values.size() * 4);
    for (std::size_t i = 0; i < values.size(); ++i) {
        std::uint32_t u = 0;  // memcpy, not std::bit_cast: Emscripten 3.1.6's libc++ lacks it
        std::memcpy(&u, &values[i], 4);
        for (int b = 0; b < 4; ++b) out[i * 4 + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(u >> (8 * b));
    }
    return out;
}

std::vector<float> le_bytes_to_floats(std::span<const std::uint8_t> bytes) {
    if (bytes.size() % 4 != 0) throw std::invalid_argument("float32 data of " + std::to_string(bytes.size()) + " bytes is not a multiple of 4");
    std::vector<float> out(bytes.size() / 4);
    for (std::size_t i = 0; i < out.size(); ++i) {
        std::uint32_t u = 0;
        for (int b = 0; b < 4; ++b) u |= std::uint32_t{bytes[i * 4 + static_cast<std::size_t>(b)]} << (8 * b);
        std::memcpy(&out[i], &u, 4);
    }
    return out;
}

}  // namespace ser
