#pragma once
// Process-wide settings for a gRPC server that answers many small calls (catalogd, bench_catalog).

namespace kiosk::catalog {

// Debian's Abseil is built without NDEBUG, so every absl::Mutex lock (gRPC takes several per call)
// records lock-order edges in one global graph for deadlock detection; perf showed it in every lookup.
// Turns that bookkeeping off. Call once at start, before any thread is started.
void turn_off_mutex_deadlock_detection();

}  // namespace kiosk::catalog
