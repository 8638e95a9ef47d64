#pragma once
// Labelled barcode photos (tests/data/barcodes/manifest.tsv) and scoring a decoder against them:
// per set, how many images were read correctly, misread, or missed; with the notes on doubtful labels
// (label_notes.tsv), also against what each photo really shows.
#include <filesystem>
#include <istream>
#include <map>
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

// Why an image's label is not what a conforming reader reports for it.
enum class NoteKind {
  kInvalidGs1,  // the label's data is no valid GS1 element string: a conforming reader must report nothing
  kLabelError,  // the photo shows something else than the label: `printed`
};

struct LabelNote {
  NoteKind kind = NoteKind::kLabelError;
  std::string reason;
  std::string printed;  // kLabelError: the text the photo shows, raw, in the manifest's conventions
};

// The notes' file name, beside manifest.tsv.
inline constexpr std::string_view kLabelNotesFile = "label_notes.tsv";

// Notes by manifest path.
using LabelNotes = std::map<std::string, LabelNote>;

// "invalid_gs1" / "label_error".
std::string_view note_kind_name(NoteKind kind);

// Reads label_notes.tsv (header `path kind reason printed`, tab-separated; `printed`, escaped as the
// manifest's texts, is required for label_error and not allowed for invalid_gs1). With `manifest`,
// every path must be one of its images and a printed text must differ from that image's label.
// Errors name the file (`name` for a stream) and line, and why.
Result<LabelNotes> parse_label_notes(std::istream& in, std::string_view name,
                                     const std::vector<ManifestEntry>* manifest = nullptr);
Result<LabelNotes> read_label_notes(const std::filesystem::path& file,
                                    const std::vector<ManifestEntry>* manifest = nullptr);

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
  std::vector<std::string> read;       // manifest_text of every detection
  Outcome outcome = Outcome::kMissed;  // against the manifest's label
  // Against what the photo shows: a label_error note's printed text instead of the label; else `outcome`.
  Outcome photo_outcome = Outcome::kMissed;
  const LabelNote* note = nullptr;  // the image's note, if any (points into the notes given to score_manifest)
  double ms = 0;                    // decode time, image already loaded
  // A misread against the label that is the photo's printed text: the label is wrong, not the read.
  bool label_dispute() const { return outcome == Outcome::kMisread && photo_outcome == Outcome::kCorrect; }
  bool invalid_label() const { return note != nullptr && note->kind == NoteKind::kInvalidGs1; }
};

struct SetScore {
  std::string set;
  int images = 0;
  int correct = 0;
  int misread = 0;
  int missed = 0;
  // With label notes (all 0 without):
  int label_errors = 0;    // label_error images whose read differs from the label (counted in `misread`)
  int invalid_labels = 0;  // invalid_gs1 images: no conforming reader reads their label
  // Images whose read differs from what the photo shows: `misread` less the label disputes, plus the
  // label_error images read as their wrong label.
  int misread_photo = 0;
  int correct_valid = 0;   // images with a valid label, read as the photo shows them
  std::vector<double> ms;  // per image
  // Against the manifest's labels, as they are.
  double rate() const { return images == 0 ? 0.0 : static_cast<double>(correct) / images; }
  // Against the labels a conforming reader can read: label_error images judged by their printed text,
  // invalid_gs1 images left out.
  double rate_valid() const {
    const int valid = images - invalid_labels;
    return valid <= 0 ? 0.0 : static_cast<double>(correct_valid) / valid;
  }
};

struct ManifestScore {
  std::vector<ImageScore> images;
  std::vector<SetScore> sets;  // sorted by set name
};

// Decodes every image of `entries` (8-bit gray) with `decoder`. An image that cannot be loaded is an error.
// `notes` (optional, must outlive the score) add the photo outcome and the label counts.
Result<ManifestScore> score_manifest(const std::vector<ManifestEntry>& entries, const std::filesystem::path& root,
                                     Decoder& decoder, const LabelNotes* notes = nullptr);

// Median and 95th percentile of `ms` (0 when empty).
double percentile(std::vector<double> ms, double p);

}  // namespace kiosk::vision
