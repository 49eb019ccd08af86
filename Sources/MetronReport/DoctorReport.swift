import MetronCore
@preconcurrency import Rainbow

/// `metron doctor`'s text: a line per check, with its fix when it is not fine.
public enum DoctorReport {
    public static func render(_ findings: [HealthFinding], state: MachineState) -> String {
        var lines = ["Measurement conditions on this machine (\(state.logicalCores) logical cores)".bold]
        for finding in findings {
            let mark: String
            switch finding.level {
            case .ok: mark = "✔".green
            case .info: mark = "ℹ".cyan
            case .warning: mark = "⚠".yellow.bold
            }
            lines.append("  \(mark) \(finding.check): \(finding.summary)")
            if finding.level != .ok, let fix = finding.fix { lines.append("      fix: " + fix.dim) }
        }
        let warnings = findings.filter { $0.level == .warning }.count
        lines.append(warnings == 0 ? "Nothing here should disturb measurements."
                                   : "\(warnings) condition\(warnings == 1 ? "" : "s") will disturb measurements; compare interleaved (metron exec --reference) where they cannot be fixed.")
        return lines.joined(separator: "\n")
    }
}
