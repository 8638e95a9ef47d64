#pragma once
// A fresh folder for one test. The name stays short (mkdtemp under $TMPDIR or /tmp) because Unix
// socket paths made inside it must stay under 108 bytes.
#include <filesystem>
#include <string>

namespace kiosk::test {

// Creates <$TMPDIR or /tmp>/<prefix>-XXXXXX and returns it; throws if it cannot. Nobody removes it:
// for runs whose logs are kept (end-to-end).
std::filesystem::path make_temp_dir(const std::string& prefix);

// A make_temp_dir folder, removed with everything in it when the test ends.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix) : path_(make_temp_dir(prefix)) {}
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

}  // namespace kiosk::test
