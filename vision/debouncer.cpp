#include "debouncer.h"

#include <algorithm>

namespace kiosk::vision {
namespace {

// Symbologies whose misreads turn into one another: an EAN-13 misread as an EAN-8 or UPC-E of part of
// its bars, a DataBar as DataBar Expanded. Codes of different families never conflict.
int family(Symbology s) {
  switch (s) {
    case Symbology::kEan13:
    case Symbology::kEan8:
    case Symbology::kUpcA:
    case Symbology::kUpcE:
      return 1;
    case Symbology::kDataBar:
    case Symbology::kDataBarExpanded:
      return 2;
    default:
      return 100 + static_cast<int>(s);
  }
}

}  // namespace

bool weak_check(Symbology s) {
  return s == Symbology::kEan8 || s == Symbology::kUpcE || s == Symbology::kItf;
}

Confirmer::Code Confirmer::code_of(const Detection& d) {
  return {family(d.symbology), d.gtin14.empty() ? d.text : d.gtin14};
}

std::vector<Detection> Confirmer::update(const std::vector<Detection>& seen, std::chrono::milliseconds now) {
  // This frame's distinct codes; a code read twice (two labels) is doubtful only if every read was.
  std::vector<Code> codes;
  std::vector<bool> doubtful;
  for (const Detection& d : seen) {
    const Code c = code_of(d);
    const bool doubt = d.doubtful || weak_check(d.symbology);
    auto it = std::find(codes.begin(), codes.end(), c);
    if (it == codes.end()) {
      codes.push_back(c);
      doubtful.push_back(doubt);
    } else {
      doubtful[static_cast<std::size_t>(it - codes.begin())] =
          doubtful[static_cast<std::size_t>(it - codes.begin())] && doubt;
    }
  }
  while (!history_.empty() && now - history_.front().at >= options_.window) history_.pop_front();
  if (codes.empty()) return {};
  history_.push_back({now, codes});

  auto votes = [&](const Code& c) {
    return std::count_if(history_.begin(), history_.end(), [&](const FrameReads& f) {
      return std::find(f.codes.begin(), f.codes.end(), c) != f.codes.end();
    });
  };
  std::vector<bool> pass(codes.size());
  for (std::size_t i = 0; i < codes.size(); ++i) {
    const Code& x = codes[i];
    // Codes of x's family read in the window, whether each was ever read in one frame with x, and how
    // often since x was first read (a code that only came before x is a product taken away, not a rival
    // still contesting the place: it makes x doubtful but does not outvote it).
    struct Rival {
      bool together = false;
      std::ptrdiff_t votes_since_x = 0;
    };
    std::map<Code, Rival> rivals;
    bool x_seen = false;
    for (const FrameReads& f : history_) {
      const bool has_x = std::find(f.codes.begin(), f.codes.end(), x) != f.codes.end();
      x_seen = x_seen || has_x;
      for (const Code& y : f.codes) {
        if (y == x || y.family != x.family) continue;
        Rival& r = rivals[y];
        r.together = r.together || has_x;
        if (x_seen) ++r.votes_since_x;
      }
    }
    std::ptrdiff_t strongest_rival = 0;
    bool conflict = false;
    for (const auto& [y, r] : rivals) {
      if (r.together) continue;  // read side by side: two labels, not one read two ways
      conflict = true;
      strongest_rival = std::max(strongest_rival, r.votes_since_x);
    }
    if (!doubtful[i] && !conflict) {
      pass[i] = true;
    } else {
      // At least one more agreeing frame than any rival, even with confirm_frames = 1.
      const std::ptrdiff_t need = std::max<std::ptrdiff_t>(options_.frames, conflict ? 1 : 0);
      pass[i] = votes(x) - strongest_rival >= need;
    }
  }
  std::vector<Detection> out;
  for (const Detection& d : seen) {
    const auto i = static_cast<std::size_t>(std::find(codes.begin(), codes.end(), code_of(d)) - codes.begin());
    if (pass[i]) out.push_back(d);
  }
  return out;
}

std::vector<Detection> Debouncer::update(const std::vector<Detection>& seen, std::chrono::milliseconds now) {
  std::vector<Detection> fresh;
  for (std::size_t i = 0; i < seen.size(); ++i) {
    const Detection& d = seen[i];
    // The same code twice in one frame (two labels on one pack) is one scan.
    bool repeat = false;
    for (std::size_t j = 0; j < i; ++j) repeat = repeat || (seen[j].symbology == d.symbology && seen[j].text == d.text);
    if (repeat) continue;
    Key key{d.symbology, d.text};
    auto it = last_seen_.find(key);
    if (it == last_seen_.end()) {
      last_seen_.emplace(std::move(key), now);
      fresh.push_back(d);
    } else {
      // Seen in an earlier frame within the gap: still the same hold.
      if (now - it->second >= gap_) fresh.push_back(d);
      it->second = now;
    }
  }
  // Forget codes out of view for longer than the gap so the map stays small.
  std::erase_if(last_seen_, [&](const auto& kv) { return now - kv.second >= gap_; });
  return fresh;
}

}  // namespace kiosk::vision
