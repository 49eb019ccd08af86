import Foundation
import MetronCore

/// A run's top-level fields that have no column of their own (what measured it, its interleaving,
/// its noise figure, the reference and its comparisons, the run it is paired with), kept whole as
/// one JSON column so that a stored run reads back as it was saved.
struct RunExtras: Codable, Equatable {
    var measuredBy: String?
    var interleaving: Interleaving?
    var noise: NoiseFigure?
    var reference: String?
    var comparisons: [MetricComparison]?
    var pairedRun: String?

    init(_ report: RunReport) {
        measuredBy = report.measuredBy
        interleaving = report.interleaving
        noise = report.noise
        reference = report.reference
        comparisons = report.comparisons
        pairedRun = report.pairedRun
    }

    /// The column's value: nil when the run has none of these.
    static func encode(_ report: RunReport) throws -> Data? {
        let extras = RunExtras(report)
        return extras == RunExtras(RunReport(id: "", metronVersion: "", startedAt: report.startedAt)) ? nil : try RecordCoding.encode(extras)
    }

    static func apply(_ data: Data?, to report: inout RunReport) throws {
        guard let data else { return }
        let extras = try RecordCoding.decode(RunExtras.self, from: data, what: "the fields of run \(report.id)")
        report.measuredBy = extras.measuredBy
        report.interleaving = extras.interleaving
        report.noise = extras.noise
        report.reference = extras.reference
        report.comparisons = extras.comparisons
        report.pairedRun = extras.pairedRun
    }
}
