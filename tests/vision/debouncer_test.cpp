// Debouncing with an injected clock: one count per hold, again after the code left the view.
#include <catch2/catch.hpp>

#include "common/clock.h"
#include "vision/debouncer.h"

using kiosk::vision::Detection;
using kiosk::vision::Symbology;
using namespace std::chrono_literals;

namespace {

const Detection kMilk{Symbology::kEan13, "7310865004703", "07310865004703", "", ""};
const Detection kBread{Symbology::kEan13, "7318690499534", "07318690499534", "", ""};

// Frames every 66 ms (15 frames/s) from a manual clock.
struct Camera {
  kiosk::ManualClock clock{0};
  kiosk::vision::Debouncer debouncer{1500ms};
  std::vector<std::string> counted;

  void frames(const std::vector<Detection>& seen, int n) {
    for (int i = 0; i < n; ++i) {
      for (const auto& d : debouncer.update(seen, std::chrono::milliseconds(clock.now_unix_ms()))) {
        counted.push_back(d.text);
      }
      clock.advance(66ms);
    }
  }
};

}  // namespace

TEST_CASE("a code held under the camera counts once", "[vision][debounce]") {
  Camera cam;
  cam.frames({kMilk}, 150);  // ~10 s held
  CHECK(cam.counted == std::vector<std::string>{kMilk.text});
}

TEST_CASE("a code missing from a few frames (glare) is still the same hold", "[vision][debounce]") {
  Camera cam;
  cam.frames({kMilk}, 10);
  cam.frames({}, 5);  // 330 ms unreadable
  cam.frames({kMilk}, 10);
  CHECK(cam.counted.size() == 1);
}

TEST_CASE("a code that left the view for the debounce gap counts again", "[vision][debounce]") {
  Camera cam;
  cam.frames({kMilk}, 15);
  cam.frames({}, 23);  // 23 × 66 = 1518 ms out of view
  cam.frames({kMilk}, 15);
  CHECK(cam.counted == std::vector<std::string>{kMilk.text, kMilk.text});
}

TEST_CASE("a code back just before the gap does not count again", "[vision][debounce]") {
  Camera cam;
  cam.frames({kMilk}, 1);  // last seen at t = 0
  cam.frames({}, 21);      // now t = 22 × 66 = 1452 ms < 1500 ms
  cam.frames({kMilk}, 1);
  CHECK(cam.counted.size() == 1);
}

TEST_CASE("the gap is measured from the last sighting, exactly at debounce_ms counts", "[vision][debounce]") {
  kiosk::vision::Debouncer d(1500ms);
  CHECK(d.update({kMilk}, 0ms).size() == 1);
  CHECK(d.update({kMilk}, 1000ms).empty());
  CHECK(d.update({kMilk}, 2499ms).empty());      // 1499 ms after the last sighting
  CHECK(d.update({kMilk}, 3999ms).size() == 1);  // exactly 1500 ms
}

TEST_CASE("two codes in one frame count separately, a repeated label once", "[vision][debounce]") {
  Camera cam;
  cam.frames({kMilk, kBread, kMilk}, 20);
  CHECK(cam.counted == std::vector<std::string>{kMilk.text, kBread.text});
}

TEST_CASE("the same text in two symbologies is two codes", "[vision][debounce]") {
  kiosk::vision::Debouncer d(1500ms);
  const Detection itf{Symbology::kItf, "7310865004703", "", "", ""};
  CHECK(d.update({kMilk, itf}, 0ms).size() == 2);
}

TEST_CASE("forgotten codes do not pile up", "[vision][debounce]") {
  kiosk::vision::Debouncer d(1500ms);
  (void)d.update({kMilk, kBread}, 0ms);
  CHECK(d.tracked() == 2);
  (void)d.update({}, 5000ms);
  CHECK(d.tracked() == 0);
}
