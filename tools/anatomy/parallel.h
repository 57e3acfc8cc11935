#pragma once
/// \file parallel.h
/// The one loop the builder shares its work among threads with.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace fascia::anatomy {

/// Runs fn(0) .. fn(n - 1), each once, on up to `threads` threads (this one included), each
/// taking the next index when it is free. Callers give each index its own output, so the result
/// does not depend on the thread count or the order. If calls throw, the loop still finishes
/// the other indices and then rethrows the first exception caught.
template <typename Fn> void parallelFor(std::size_t n, unsigned threads, const Fn& fn) {
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failureLock;
  const auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      try {
        fn(i);
      } catch (...) {
        const std::lock_guard<std::mutex> lock(failureLock);
        if (!failure) failure = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < std::min<std::size_t>(std::max(1u, threads), n); ++t)
    pool.emplace_back(work);
  work();
  for (std::thread& th : pool)
    th.join();
  if (failure) std::rethrow_exception(failure);
}

} // namespace fascia::anatomy
