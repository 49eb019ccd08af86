#if canImport(Glibc)
import Glibc
#endif
import MetronCore
@preconcurrency import Rainbow

/// A one-line live progress bar with an ETA, drawn on stderr and erased when done. Redraws are
/// throttled so a run of `true` (a millisecond) is not slowed by the terminal.
public final class ProgressBar {
    private let enabled: Bool
    private let width = 30
    private var lastDraw: ContinuousClock.Instant?
    private var visible = false

    public init(enabled: Bool) {
        self.enabled = enabled
    }

    public func update(_ progress: BenchmarkProgress) {
        guard enabled else { return }
        let now = ContinuousClock.now
        let isFinal: Bool
        switch progress {
        case .measuring(let done, let total, _): isFinal = done == total
        default: isFinal = false
        }
        if !isFinal, visible, let lastDraw, now - lastDraw < .milliseconds(50) { return }
        lastDraw = now
        write(line(for: progress))
    }

    public func clear() {
        guard enabled, visible else { return }
        write("\r\u{1B}[2K", newLine: false)
        visible = false
    }

    func line(for progress: BenchmarkProgress) -> String {
        switch progress {
        case .setup:
            return "  Running setup…".dim
        case .warmup(let done, let total):
            return "  Warm-up    " + bar(Double(done) / Double(max(total, 1))) + "  \(done)/\(total)"
        case .measuring(let done, let total, let elapsed):
            let fraction = Double(done) / Double(max(total, 1))
            let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : nil
            let etaText = eta.map { "ETA " + clock($0) } ?? "ETA --:--:--"
            return "  Measuring  " + bar(fraction) + "  \(done)/\(total)  " + etaText.dim
        }
    }

    private func bar(_ fraction: Double) -> String {
        let clamped = min(max(fraction, 0), 1)
        let filled = Int((clamped * Double(width)).rounded(.down))
        let rest = width - filled
        return String(repeating: "█", count: filled).cyan + String(repeating: "░", count: rest).dim
    }

    private func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded(.up))
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(total / 3600)):\(two(total / 60 % 60)):\(two(total % 60))"
    }

    private func write(_ text: String, newLine: Bool = false) {
        let output = "\r\u{1B}[2K" + text
        _ = output.withCString { Glibc.write(STDERR_FILENO, $0, strlen($0)) }
        visible = true
    }
}
