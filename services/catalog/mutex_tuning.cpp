#include "mutex_tuning.h"

#include <absl/synchronization/mutex.h>

namespace kiosk::catalog {

void turn_off_mutex_deadlock_detection() {
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  absl::EnableMutexInvariantDebugging(false);
}

}  // namespace kiosk::catalog
