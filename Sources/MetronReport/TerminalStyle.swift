#if canImport(Glibc)
import Glibc
#endif
@preconcurrency import Rainbow

/// Decides once, at startup, whether the terminal gets colours and a live progress bar.
public struct TerminalStyle: Sendable, Equatable {
    public enum Mode: String, Sendable, CaseIterable { case auto, always, never }

    public var colors: Bool
    public var progress: Bool

    public init(colors: Bool, progress: Bool) {
        self.colors = colors
        self.progress = progress
    }

    /// Colours when stdout is a terminal and NO_COLOR is unset (https://no-color.org); a progress
    /// bar only when stderr is an interactive terminal and not under CI.
    public static func detect(color: Mode = .auto, environment: [String: String]) -> TerminalStyle {
        let noColor = !(environment["NO_COLOR"] ?? "").isEmpty
        let dumb = environment["TERM"] == "dumb"
        let ci = !(environment["CI"] ?? "").isEmpty && environment["CI"] != "false"
        let colors: Bool
        switch color {
        case .always: colors = true
        case .never: colors = false
        case .auto: colors = isatty(STDOUT_FILENO) == 1 && !noColor && !dumb
        }
        let progress = isatty(STDERR_FILENO) == 1 && !ci && !dumb
        return TerminalStyle(colors: colors, progress: progress)
    }

    /// Applies the choice to Rainbow, which every coloured string in the report goes through.
    public func activate() {
        Rainbow.enabled = colors
    }
}
