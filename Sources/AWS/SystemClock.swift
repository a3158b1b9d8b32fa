import Glibc

/// The real clock, for production; tests inject their own.
public enum SystemClock {
    public static func now() -> Int { Int(time(nil)) }

    public static func milliseconds() -> Int {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return spec.tv_sec * 1000 + spec.tv_nsec / 1_000_000
    }

    /// Monotonic seconds, for durations and deadlines.
    @Sendable public static func monotonic() -> Double { Double(milliseconds()) / 1000 }

    public static func sleep(_ seconds: Double) async {
        try? await Task.sleep(nanoseconds: UInt64(max(0, seconds) * 1_000_000_000))
    }
}
