#if canImport(Glibc)
import Glibc
#endif
import MetronCore
@preconcurrency import Rainbow

/// Decides once, at startup, how results reach the terminal: colours, a live progress bar, the
/// time unit and order of results, or nothing at all.
public struct TerminalStyle: Sendable, Equatable {
    /// `--color`.
    public enum Mode: String, Sendable, CaseIterable { case auto, always, never }

    /// hyperfine's `--style`: `basic` has neither colours nor a progress bar, `full` both even
    /// without a terminal, `nocolor` the progress bar only, `color` the colours only, `none` no
    /// output at all (warnings and errors still go to stderr).
    public enum Style: String, Sendable, CaseIterable { case auto, basic, full, nocolor, color, none }

    public var colors: Bool
    public var progress: Bool
    /// Nothing is printed to stdout (`--style none`).
    public var silent = false
    /// Durations in this unit instead of one chosen per value (`--time-unit`).
    public var timeUnit: TimeUnit?
    /// The order of the relative-speed summary and markup tables (`--sort`).
    public var order: ResultOrder = .auto

    public init(colors: Bool, progress: Bool) {
        self.colors = colors
        self.progress = progress
    }

    /// With `style` auto: colours when stdout is a terminal and NO_COLOR is unset
    /// (https://no-color.org); a progress bar only when stderr is an interactive terminal and not
    /// under CI. `color` always or never then decides the colours of any style.
    public static func detect(color: Mode = .auto, style: Style = .auto, environment: [String: String]) -> TerminalStyle {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let dumb = environment["TERM"] == "dumb"
        let ci = !(environment["CI"] ?? "").isEmpty && environment["CI"] != "false"
        var result: TerminalStyle
        switch style {
        case .auto:
            result = TerminalStyle(colors: isatty(STDOUT_FILENO) == 1 && !noColor && !dumb,
                                   progress: isatty(STDERR_FILENO) == 1 && !ci && !dumb)
        case .basic: result = TerminalStyle(colors: false, progress: false)
        case .full: result = TerminalStyle(colors: true, progress: true)
        case .nocolor: result = TerminalStyle(colors: false, progress: true)
        case .color: result = TerminalStyle(colors: true, progress: false)
        case .none:
            result = TerminalStyle(colors: false, progress: false)
            result.silent = true
        }
        switch color {
        case .always: result.colors = true
        case .never: result.colors = false
        case .auto: break
        }
        return result
    }

    /// Applies the choice to Rainbow, which every coloured string in the report goes through.
    public func activate() {
        Rainbow.enabled = colors
        // Rainbow also drops codes for an output it did not detect as a terminal (a pipe), which
        // would undo `--color always` and `--style full`.
        Rainbow.outputTarget = colors ? .console : .unknown
    }
}
