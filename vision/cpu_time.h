#pragma once
// This thread's CPU time. Decode budgets and benchmarks count it rather than wall time: on the
// appliance a core is the decoder's, so the two agree there, and on a loaded machine (CI, a shared
// build host) budgets give the same results run to run and timings measure the work, not the queue.
#include <time.h>

#include <chrono>

namespace kiosk::vision {

inline std::chrono::nanoseconds thread_cpu_now() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

// Milliseconds of this thread's CPU time since `start` (a thread_cpu_now() value).
inline double cpu_ms_since(std::chrono::nanoseconds start) {
  return std::chrono::duration<double, std::milli>(thread_cpu_now() - start).count();
}

}  // namespace kiosk::vision
