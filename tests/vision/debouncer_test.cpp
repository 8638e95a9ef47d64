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

// Temporal confirmation: scripted reads, frames every 66 ms on a manual clock, through the Confirmer
// and then the Debouncer as the capture loop runs them.
namespace {

const Detection kEan8{Symbology::kEan8, "96385074", "00000096385074", "", ""};
const Detection kEan8Other{Symbology::kEan8, "96385081", "00000096385081", "", ""};
const Detection kUpcE{Symbology::kUpcE, "01234565", "00012345000065", "", ""};

Detection doubtful(Detection d) {
  d.doubtful = true;
  return d;
}

struct ConfirmingCamera {
  kiosk::ManualClock clock{0};
  kiosk::vision::Confirmer confirmer{{.frames = 2, .window = 500ms}};
  kiosk::vision::Debouncer debouncer{1500ms};
  std::vector<std::string> counted;

  // One frame; returns the texts counted in it.
  std::vector<std::string> frame(const std::vector<Detection>& seen) {
    const auto now = std::chrono::milliseconds(clock.now_unix_ms());
    std::vector<std::string> out;
    for (const auto& d : debouncer.update(confirmer.update(seen, now), now)) out.push_back(d.text);
    counted.insert(counted.end(), out.begin(), out.end());
    clock.advance(66ms);
    return out;
  }
  void frames(const std::vector<Detection>& seen, int n) {
    for (int i = 0; i < n; ++i) (void)frame(seen);
  }
};

using Texts = std::vector<std::string>;

}  // namespace

TEST_CASE("weak symbologies are EAN-8, UPC-E and ITF", "[vision][confirm]") {
  using kiosk::vision::weak_check;
  CHECK(weak_check(Symbology::kEan8));
  CHECK(weak_check(Symbology::kUpcE));
  CHECK(weak_check(Symbology::kItf));
  for (Symbology s : {Symbology::kEan13, Symbology::kUpcA, Symbology::kCode128, Symbology::kDataBar,
                      Symbology::kDataBarExpanded, Symbology::kQrCode, Symbology::kDataMatrix}) {
    CHECK_FALSE(weak_check(s));
  }
}

TEST_CASE("a confident read is reported in its first frame", "[vision][confirm]") {
  ConfirmingCamera cam;
  CHECK(cam.frame({kMilk}) == Texts{kMilk.text});
  cam.frames({kMilk}, 20);
  CHECK(cam.counted == Texts{kMilk.text});
}

TEST_CASE("a doubtful read seen once is never reported", "[vision][confirm]") {
  ConfirmingCamera cam;
  CHECK(cam.frame({doubtful(kMilk)}).empty());
  cam.frames({}, 40);
  CHECK(cam.frame({kEan8}).empty());  // weak symbology: doubtful without the decoder saying so
  cam.frames({}, 40);
  CHECK(cam.counted.empty());
}

TEST_CASE("a doubtful read seen in two frames is reported once, in the second", "[vision][confirm]") {
  ConfirmingCamera cam;
  CHECK(cam.frame({doubtful(kMilk)}).empty());
  CHECK(cam.frame({doubtful(kMilk)}) == Texts{kMilk.text});
  cam.frames({doubtful(kMilk)}, 30);  // held: counts once
  CHECK(cam.counted == Texts{kMilk.text});

  // A glitch between the two reads does not matter; confident and doubtful reads of one code agree.
  ConfirmingCamera glare;
  CHECK(glare.frame({kEan8}).empty());
  CHECK(glare.frame({}).empty());
  CHECK(glare.frame({kEan8}) == Texts{kEan8.text});
}

TEST_CASE("two reads further apart than the window do not confirm each other", "[vision][confirm]") {
  ConfirmingCamera cam;
  CHECK(cam.frame({kUpcE}).empty());
  cam.frames({}, 8);  // 9 × 66 = 594 ms later, beyond the 500 ms window
  CHECK(cam.frame({kUpcE}).empty());
  CHECK(cam.frame({kUpcE}) == Texts{kUpcE.text});
}

TEST_CASE("conflicting reads at one place: neither is reported until one wins", "[vision][confirm]") {
  ConfirmingCamera cam;
  CHECK(cam.frame({kEan8}).empty());
  CHECK(cam.frame({kEan8Other}).empty());          // the same label read two ways
  CHECK(cam.frame({kEan8}).empty());               // 2 against 1: not yet clear
  CHECK(cam.frame({kEan8}) == Texts{kEan8.text});  // 3 against 1: two frames ahead
  cam.frames({kEan8}, 10);
  CHECK(cam.counted == Texts{kEan8.text});
}

TEST_CASE("a stray misread of a held confident code is held back", "[vision][confirm]") {
  ConfirmingCamera cam;
  cam.frames({kMilk}, 5);
  // An EAN-13 that passed its check digit but differs from the code in view: a conflicting read.
  CHECK(cam.frame({kBread}).empty());
  cam.frames({kMilk}, 10);
  CHECK(cam.counted == Texts{kMilk.text});

  // A new product of the same family that stays in view wins once the old one fades from the window.
  cam.frames({kBread}, 10);
  CHECK(cam.counted == Texts{kMilk.text, kBread.text});
}

TEST_CASE("different codes read side by side count separately, each confirmed on its own", "[vision][confirm]") {
  ConfirmingCamera cam;
  CHECK(cam.frame({kEan8, kMilk, kEan8Other}) == Texts{kMilk.text});  // confident at once
  CHECK(cam.frame({kEan8, kMilk, kEan8Other}) == (Texts{kEan8.text, kEan8Other.text}));
  cam.frames({kEan8, kMilk, kEan8Other}, 20);
  CHECK(cam.counted.size() == 3);

  // A doubtful code presented again after the debounce gap counts again, after confirmation again.
  cam.frames({}, 30);
  CHECK(cam.frame({kEan8}).empty());
  CHECK(cam.frame({kEan8}) == Texts{kEan8.text});
}

TEST_CASE("confirm_frames = 3 needs three agreeing frames", "[vision][confirm]") {
  kiosk::vision::Confirmer c({.frames = 3, .window = 1000ms});
  CHECK(c.update({kEan8}, 0ms).empty());
  CHECK(c.update({kEan8}, 66ms).empty());
  CHECK(c.update({kEan8}, 132ms).size() == 1);
  // confirm_frames = 1 turns confirmation off, but a contested read still has to lead its rival.
  kiosk::vision::Confirmer off({.frames = 1, .window = 500ms});
  CHECK(off.update({kEan8}, 0ms).size() == 1);
  CHECK(off.update({kEan8Other}, 66ms).size() == 1);  // came after: nothing contests it yet
  CHECK(off.update({kEan8Other}, 132ms).size() == 1);
  CHECK(off.update({kEan8}, 198ms).empty());  // 2 against 2 since it first appeared: no winner
}

TEST_CASE("a product presented just after another of its family waits only for its own confirmation",
          "[vision][confirm]") {
  ConfirmingCamera cam;
  cam.frames({kMilk}, 5);
  // Bread at the place milk just left: doubtful (it may be milk misread), so it needs a second frame,
  // but milk, no longer read, does not outvote it.
  CHECK(cam.frame({kBread}).empty());
  CHECK(cam.frame({kBread}) == Texts{kBread.text});
  // Milk back while bread is still in view but never in one frame with it: contested again.
  CHECK(cam.frame({kMilk}).empty());
}
