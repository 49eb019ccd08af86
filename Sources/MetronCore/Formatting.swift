/// Human-readable numbers in SI-style units, shared by every text output. Pure arithmetic, no
/// locale: the same input always prints the same text.
public enum Formatting {
    /// "1.23 s", "45.6 ms", "789 µs", "12 ns": three significant digits in the largest unit
    /// that keeps the value at or above 1.
    public static func duration(_ seconds: Double) -> String {
        guard !seconds.isNaN else { return unknown }
        let (value, unit) = scaledDuration(seconds)
        return "\(fixed(value, digits: decimals(value))) \(unit)"
    }

    /// Picks one unit for a set of durations so a column lines up ("ms" for 0.5 ms … 900 ms);
    /// `forced` (`--time-unit`) overrides the choice.
    public static func durationUnit(for seconds: Double, forced: TimeUnit? = nil) -> (scale: Double, unit: String) {
        if let forced { return (forced.scale, forced.symbol) }
        let magnitude = abs(seconds)
        if magnitude >= 1 || magnitude == 0 { return (1, "s") }
        if magnitude >= 1e-3 { return (1e3, "ms") }
        if magnitude >= 1e-6 { return (1e6, "µs") }
        return (1e9, "ns")
    }

    public static func scaledDuration(_ seconds: Double) -> (Double, String) {
        let (scale, unit) = durationUnit(for: seconds)
        return (seconds * scale, unit)
    }

    /// "0 B", "512 B", "1.5 KiB", "200.0 MiB", "1.25 GiB" (binary prefixes).
    /// A metric's value in its unit's usual form: "12.3 ms", "4.5 MiB", "12.0%", "1234.50".
    public static func value(_ value: Double, _ unit: MetricUnit) -> String {
        guard !value.isNaN else { return unknown }
        switch unit {
        case .seconds: return duration(value)
        case .bytes: return bytes(value)
        case .percent: return percent(value)
        case .count, .perSecond: return fixed(value, digits: 2)
        }
    }

    public static func bytes(_ value: Double) -> String {
        guard !value.isNaN else { return unknown }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var scaled = value
        var index = 0
        while abs(scaled) >= 1024 && index < units.count - 1 {
            scaled /= 1024
            index += 1
        }
        if index == 0 { return "\(Int(scaled.rounded())) B" }
        return "\(fixed(scaled, digits: decimals(scaled))) \(units[index])"
    }

    public static func percent(_ value: Double, digits: Int = 1) -> String {
        guard !value.isNaN else { return unknown }
        return "\(fixed(value, digits: digits)) %"
    }

    /// "1.2 k", "3.4 M" for large counts; plain integers below 10,000.
    public static func count(_ value: Double) -> String {
        guard !value.isNaN else { return unknown }
        let magnitude = abs(value)
        if magnitude < 10_000 {
            return value == value.rounded() ? String(Int(value)) : fixed(value, digits: 1)
        }
        if magnitude < 1e6 { return "\(fixed(value / 1e3, digits: 1)) k" }
        if magnitude < 1e9 { return "\(fixed(value / 1e6, digits: 1)) M" }
        return "\(fixed(value / 1e9, digits: 1)) G"
    }

    /// A figure that is not known (NaN: a summary imported without it).
    public static let unknown = "–"

    /// A p-value with `digits` decimals; "–" when no test was run (NaN: a summary-only comparison).
    public static func pValue(_ p: Double, digits: Int = 3) -> String {
        p.isNaN ? unknown : fixed(p, digits: digits)
    }

    /// Fixed-point rendering with round-half-away-from-zero, without Foundation's String(format:).
    public static func fixed(_ value: Double, digits: Int) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value < 0 ? "-inf" : "inf") }
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9e18 else { return String(value) }
        let integer = UInt64(scaled)
        let divisor = UInt64(scale)
        var text = String(integer / divisor)
        if digits > 0 {
            let fraction = String(integer % divisor)
            text += "." + String(repeating: "0", count: digits - fraction.count) + fraction
        }
        return (value < 0 && scaled != 0 ? "-" : "") + text
    }

    /// Decimals that give a value about three significant digits ("9.60", "24.8", "919").
    public static func decimals(_ value: Double) -> Int {
        let magnitude = abs(value)
        if magnitude >= 100 { return 1 }
        if magnitude >= 10 { return 1 }
        return magnitude == 0 ? 1 : 2
    }
}

/// A unit that durations are shown in when the user picks one (`--time-unit`).
public enum TimeUnit: String, Sendable, CaseIterable {
    case nanosecond, microsecond, millisecond, second

    /// hyperfine's spellings (microsecond, millisecond, second) and the symbols (ns, us, µs, ms, s).
    public init?(parsing text: String) {
        switch text {
        case "ns", "nanosecond": self = .nanosecond
        case "us", "µs", "microsecond": self = .microsecond
        case "ms", "millisecond": self = .millisecond
        case "s", "second": self = .second
        default: return nil
        }
    }

    /// Multiplies seconds into this unit.
    public var scale: Double {
        switch self {
        case .nanosecond: 1e9
        case .microsecond: 1e6
        case .millisecond: 1e3
        case .second: 1
        }
    }

    public var symbol: String {
        switch self {
        case .nanosecond: "ns"
        case .microsecond: "µs"
        case .millisecond: "ms"
        case .second: "s"
        }
    }
}

/// The order of the relative-speed summary and of the rows of markup tables (hyperfine's --sort).
public enum ResultOrder: String, Sendable, CaseIterable {
    /// The summary by time, fastest first; tables in the order the commands were given.
    case auto
    /// Both in the order the commands were given.
    case command
    /// Both by mean time, fastest first.
    case meanTime = "mean-time"
}

extension Formatting {
    /// "1 benchmark", "3 benchmarks".
    public static func counted(_ count: Int, _ noun: String) -> String {
        "\(count) \(noun)\(count == 1 ? "" : "s")"
    }

    /// Text from outside (names of imported or uploaded benchmarks, frames of a profile) made
    /// safe to print: control characters — escape sequences that would clear the screen, move
    /// the cursor or set the window title — become U+FFFD, so a name can mislead no terminal.
    public static func printable(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars { scalars.append(isControl(scalar) ? "\u{FFFD}" : scalar) }
        return String(scalars)
    }

    /// C0 and C1 control characters and DEL: what a terminal may act on.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
