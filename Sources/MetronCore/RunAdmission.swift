/// What every entrance to the store (`metron import`, `POST /api/runs`) checks of a run before
/// storing it, with the same messages: a run that breaks these would break queries, references
/// or terminals later.
///
/// - Run ids: 1 to 200 characters of letters, digits, `.`, `_`, `:` and `-`, not starting with
///   `.` and not `latest` (a reference word): no path-like ids (`../../etc/passwd`).
/// - A `schemaVersion` this build knows (1 … `RunReport.currentSchemaVersion`): a newer run
///   would lose the fields it does not know.
/// - At least one benchmark; every benchmark name non-empty and free of control characters
///   (an `ESC[2J` in a name would reach every terminal that prints it).
/// - A start no more than a day after this machine's clock: "latest" is the run that started
///   last, so a run dated 2099 would otherwise stay "latest" for good.
public enum RunAdmission {
    public static let maximumIDLength = 200
    /// How far a run's start may lie ahead of this clock (clock skew between CI machines).
    public static let futureTolerance = 86_400.0

    /// Why `report` cannot be stored, or nil.
    public static func problem(with report: RunReport, now: Timestamp) -> String? {
        if let problem = idProblem(report.id) { return problem }
        // A newer schema may hold fields this metron would drop on the way into the store.
        if report.schemaVersion > RunReport.currentSchemaVersion || report.schemaVersion < 1 {
            return "schemaVersion \(report.schemaVersion) is not one this metron reads (1 to \(RunReport.currentSchemaVersion))"
                + (report.schemaVersion > RunReport.currentSchemaVersion ? ": upgrade metron to store it" : "")
        }
        if report.benchmarks.isEmpty { return "the run has no benchmarks" }
        for (index, result) in report.benchmarks.enumerated() {
            if result.name.isEmpty { return "benchmarks[\(index)] has an empty name" }
            if result.name.unicodeScalars.contains(where: Formatting.isControl) {
                return "benchmarks[\(index)].name contains control characters (such as escape sequences)"
            }
        }
        if report.startedAt.secondsSinceEpoch > now.secondsSinceEpoch + futureTolerance {
            return "the run starts at \(report.startedAt.iso8601), more than a day after this machine's clock "
                + "(\(now.iso8601)): it would stay the latest run for good; correct its startedAt"
        }
        return nil
    }

    /// Why `id` is not a valid run id, or nil.
    public static func idProblem(_ id: String) -> String? {
        guard !id.isEmpty, id.count <= maximumIDLength else { return "the run id must be 1 to \(maximumIDLength) characters" }
        let allowed = id.unicodeScalars.allSatisfy { scalar in
            (scalar.value < 128 && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar))) || ".:_-".unicodeScalars.contains(scalar)
        }
        guard allowed, !id.hasPrefix("."), id != "latest" else {
            return "the run id '\(printable(id))' must be letters, digits, '.', '_', ':' and '-', not start with '.', and not be 'latest'"
        }
        return nil
    }

    /// `text` with control characters shown as `\u{1B}`, for messages.
    public static func printable(_ text: String) -> String {
        String(text.unicodeScalars.map { Formatting.isControl($0) ? "\\u{\(String($0.value, radix: 16, uppercase: true))}" : String($0) }.joined())
    }
}
