#pragma once
// Labelled barcode photos (tests/data/barcodes/manifest.tsv) and scoring a decoder against them:
// per set, how many images were read correctly, misread, or missed.
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.h"
#include "decoder.h"

namespace kiosk::vision {

// The set whose images hold no code: any read there is a false positive.
inline constexpr std::string_view kNoCodeSet = "falsepositives";

struct ManifestEntry {
  std::string path;      // relative to the manifest's folder
  std::string set;       // the symbology column: ean13, upca_addon, falsepositives...
  std::string expected;  // raw bytes (unescaped); empty for falsepositives
};

// `\\`, `\t`, `\n`, `\r` and other control bytes as `\xHH`, as in manifest.tsv.
std::string escape_text(std::string_view raw);
Result<std::string> unescape_text(std::string_view escaped);

// Reads manifest.tsv (header `path symbology expected_text source`). Errors name the line and why.
Result<std::vector<ManifestEntry>> read_manifest(const std::filesystem::path& file);

// A detection's text in the manifest's conventions (raw, unescaped): EAN-13/UPC-A/UPC-E as 13-digit
// GTIN-13, EAN-8 as 8 digits, the add-on appended; everything else (GS1 AI strings with the group
// separator, Code 128, ITF, QR) as decoded.
std::string manifest_text(const Detection& d);

enum class Outcome {
  kCorrect,  // the expected text was read (falsepositives: nothing was read)
  kMisread,  // something else was read (falsepositives: anything at all)
  kMissed,   // nothing was read
};

struct ImageScore {
  const ManifestEntry* entry = nullptr;
  std::vector<std::string> read;  // manifest_text of every detection
  Outcome outcome = Outcome::kMissed;
  double ms = 0;  // decode time, image already loaded
};

struct SetScore {
  std::string set;
  int images = 0;
  int correct = 0;
  int misread = 0;
  int missed = 0;
  std::vector<double> ms;  // per image
  double rate() const { return images == 0 ? 0.0 : static_cast<double>(correct) / images; }
};

struct ManifestScore {
  std::vector<ImageScore> images;
  std::vector<SetScore> sets;  // sorted by set name
};

// Decodes every image of `entries` (8-bit gray) with `decoder`. An image that cannot be loaded is an error.
Result<ManifestScore> score_manifest(const std::vector<ManifestEntry>& entries, const std::filesystem::path& root,
                                     Decoder& decoder);

// Median and 95th percentile of `ms` (0 when empty).
double percentile(std::vector<double> ms, double p);

}  // namespace kiosk::vision
