// scaled with each non-MT-SICS driver, over real gRPC against the real scale-sim: [scale] protocol
// picks the driver, placed weights come out as stable readings on Watch, and a Magellan barcode
// comes out as ScaleEvent.scan (a kiosk.v1.ScanEvent, as from the camera).
#include <catch2/catch.hpp>

#include <grpcpp/grpcpp.h>
#include <fstream>

#include "child_process.h"
#include "common/rpc.h"
#include "kiosk/v1/scale.grpc.pb.h"
#include "sim_process.h"
#include "temp_dir.h"

using namespace std::chrono_literals;
using scale_test::Sim;
namespace pb = kiosk::v1;

namespace {

struct Scaled {
  Scaled(const std::filesystem::path& dir, const std::string& protocol)
      : proc_(write_config(dir, protocol), dir / "scaled.log") {
    channel = kiosk::make_unix_channel(dir / "run" / "scale.sock");
    const auto deadline = std::chrono::system_clock::now() + 20s;
    bool connected = false;
    while (!connected && std::chrono::system_clock::now() < deadline)
      connected = channel->WaitForConnected(std::chrono::system_clock::now() + 200ms);
    REQUIRE(connected);
    stub = pb::Scale::NewStub(channel);
  }
  static std::vector<std::string> write_config(const std::filesystem::path& dir, const std::string& protocol) {
    std::ofstream cfg(dir / "kiosk.toml");
    cfg << "[runtime]\ndir = \"run\"\ndata_dir = \"data\"\n"
        << "[scale]\ndevice = \"ttyScale\"\nprotocol = \"" << protocol << "\"\npoll_ms = 50\ninterval_mg = 1000\n";
    return {std::string(KIOSK_BIN_DIR) + "/scaled", "--config", (dir / "kiosk.toml").string()};
  }
  kiosk::test::ChildProcess proc_;
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<pb::Scale::Stub> stub;
};

// scale-sim speaking `protocol`, scaled driving it, and Watch open past its first (status) event.
struct WatchedLane {
  explicit WatchedLane(const std::string& protocol)
      : sim(dir.path() / "ttyScale", dir.path() / "scale.ctl", 11, {"--protocol", protocol}),
        scaled(dir.path(), protocol) {
    ctx.set_deadline(std::chrono::system_clock::now() + 20s);
    reader = scaled.stub->Watch(&ctx, pb::ScaleWatchRequest());
    pb::ScaleEvent first;
    REQUIRE(reader->Read(&first));
    REQUIRE(first.has_status());
  }
  ~WatchedLane() { ctx.TryCancel(); }
  kiosk::test::TempDir dir{"scale-test"};
  Sim sim;
  Scaled scaled;
  grpc::ClientContext ctx;
  std::unique_ptr<grpc::ClientReader<pb::ScaleEvent>> reader;
};

}  // namespace

TEST_CASE("scaled with protocol = magellan: stable weights and barcodes on Watch", "[integration]") {
  WatchedLane lane("magellan");
  pb::ScaleEvent ev;
  CHECK(lane.sim.ctl("place 330000") == "ok 330000");
  bool weighed = false, scanned = false, asked = false;
  while (!(weighed && scanned) && lane.reader->Read(&ev)) {
    if (ev.has_reading() && ev.reading().stable() && std::llabs(ev.reading().weight_mg() - 330000) <= 1000) {
      weighed = true;
      if (!asked) CHECK(lane.sim.ctl("scan 7310865004703") == "ok");
      asked = true;
    }
    if (ev.has_scan()) {
      CHECK(ev.scan().gtin14() == "07310865004703");
      CHECK(ev.scan().symbology() == pb::SYMBOLOGY_EAN13);
      CHECK(ev.scan().text() == "7310865004703");
      CHECK(ev.scan().seq() == 1);
      CHECK(ev.scan().source() == "scale:" + (lane.dir.path() / "ttyScale").string());
      scanned = true;
    }
  }
  CHECK(weighed);
  CHECK(scanned);
}

TEST_CASE("scaled with protocol = hid: stable weights on Watch, and Zero sends the zero report", "[integration]") {
  WatchedLane lane("hid");
  pb::ScaleEvent ev;
  CHECK(lane.sim.ctl("place 250000") == "ok 250000");
  bool weighed = false, zeroed = false;
  while (!zeroed && lane.reader->Read(&ev)) {
    if (!ev.has_reading() || !ev.reading().stable()) continue;
    if (!weighed && std::llabs(ev.reading().weight_mg() - 250000) <= 1000) {
      weighed = true;
      grpc::ClientContext c;
      pb::ZeroResponse z;
      CHECK(lane.scaled.stub->Zero(&c, pb::ZeroRequest(), &z).ok());  // no session open
    } else if (weighed && std::llabs(ev.reading().weight_mg()) <= 1000) {
      zeroed = true;
    }
  }
  CHECK(weighed);
  CHECK(zeroed);
}
