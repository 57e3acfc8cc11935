#pragma once
/// \file parallel.h
/// The one loop the builder's grids share their work with.

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace fascia::anatomy {

/// Runs fn(0) .. fn(n - 1), each once, dealt out in turn to up to `threads` threads. Callers
/// give each index its own output, so the result does not depend on the thread count. fn must
/// not throw (an exception on a worker thread ends the program); runTasks in builder.cpp is the
/// loop for work that may.
template <typename Fn> void parallelFor(std::size_t n, unsigned threads, const Fn& fn) {
  threads = std::max(1u, threads);
  if (threads == 1 || n < 2) {
    for (std::size_t i = 0; i < n; ++i)
      fn(i);
    return;
  }
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t)
    pool.emplace_back([&fn, n, threads, t] {
      for (std::size_t i = t; i < n; i += threads)
        fn(i);
    });
  for (std::size_t i = 0; i < n; i += threads)
    fn(i);
  for (std::thread& th : pool)
    th.join();
}

} // namespace fascia::anatomy
