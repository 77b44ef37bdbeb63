#include <doctest/doctest.h>

#include "app/state/frame_clock.h"

using ser::app::FrameClock;

TEST_CASE("the frame rate is measured over the last second, with its longest frame") {
    FrameClock clock;
    CHECK(clock.fps() == 0.0);
    double t = 1000.0;
    for (int i = 0; i < 200; ++i) clock.tick(t += 1000.0 / 60.0);
    CHECK(clock.fps() == doctest::Approx(60.0));
    CHECK(clock.longest_frame_ms() == doctest::Approx(1000.0 / 60.0));
    clock.tick(t += 100.0);  // one frame took 100 ms
    for (int i = 0; i < 10; ++i) clock.tick(t += 1000.0 / 60.0);
    CHECK(clock.longest_frame_ms() == doctest::Approx(100.0));
    CHECK(clock.fps() < 60.0);
    CHECK(clock.frames() == 211);
    for (int i = 0; i < 120; ++i) clock.tick(t += 1000.0 / 30.0);
    CHECK(clock.fps() == doctest::Approx(30.0));
    CHECK(clock.longest_frame_ms() == doctest::Approx(1000.0 / 30.0));  // the slow frame is over a second old
}
