#pragma once
// Clean shutdown on SIGTERM/SIGINT: main blocks the signals before starting any thread (so they are
// delivered only to the waiter), then waits for one and shuts the server down.

namespace kiosk {

// Call first in main(), before any thread exists.
void block_shutdown_signals();
// Blocks until SIGTERM or SIGINT arrives; returns the signal number.
int wait_for_shutdown_signal();

}  // namespace kiosk
