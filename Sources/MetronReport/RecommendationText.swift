import MetronCore

/// Recommendations as plain text, in seed 002's layout (title with priority, description,
/// estimated improvement, effort, steps).
public enum RecommendationText {
    public static func render(_ recommendations: [Recommendation], heading: String) -> String {
        guard !recommendations.isEmpty else {
            return heading + "\n\nNo recommendations: no rule found noise, cold starts, waiting, memory or scaling problems.\n"
        }
        var lines = [heading, ""]
        for (index, item) in recommendations.enumerated() {
            lines.append("\(index + 1). \(Formatting.printable(item.title)) (Priority: \(item.priority)/5)")
            if let all = item.benchmarks {
                lines.append("   Benchmarks: \(all.map(Formatting.printable).joined(separator: ", "))")
            } else {
                lines.append("   Benchmark: \(Formatting.printable(item.benchmark))\(item.suite.map { " (suite \(Formatting.printable($0)))" } ?? "")")
            }
            lines.append("   Description: \(Formatting.printable(item.description))")
            lines.append("   Estimated Improvement: \(Formatting.fixed(item.estimatedImprovement * 100, digits: 0))% of \(item.improvementOf)")
            lines.append("   Effort Level: \(item.effort.rawValue)")
            lines.append("   Rule: \(item.rule.rawValue)")
            lines.append("   Steps:")
            for step in item.steps { lines.append("     - \(Formatting.printable(step))") }
            lines.append("")
        }
        return lines.joined(separator: "\n")
    }
}
