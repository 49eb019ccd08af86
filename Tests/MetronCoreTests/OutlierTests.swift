import Foundation
import MetronCore
import Testing

@Suite("Tukey outliers")
struct OutlierTests {
    // Q1 = 10, Q3 = 20, IQR = 10: fences at -20, -5, 35, 50.
    let fences = TukeyFences(q1: 10, q3: 20)

    @Test("the fences sit 1.5 and 3 IQRs outside the quartiles")
    func fencePositions() {
        #expect(fences.lowSevere == -20)
        #expect(fences.lowMild == -5)
        #expect(fences.highMild == 35)
        #expect(fences.highSevere == 50)
    }

    @Test("classification is strict: a value on a fence belongs to the inner side")
    func classify() {
        let cases: [(Double, OutlierKind)] = [
            (-20.5, .lowSevere), (-20, .lowMild), (-19.9, .lowMild), (-5.1, .lowMild), (-5, .none),
            (10, .none), (15, .none), (20, .none), (35, .none), (35.1, .highMild), (50, .highMild),
            (50.1, .highSevere), (1e9, .highSevere), (-1e9, .lowSevere), (.nan, .none),
        ]
        for (value, kind) in cases {
            #expect(fences.classify(value) == kind, "\(value)")
        }
    }

    @Test("a severe outlier is counted once, as severe only")
    func counts() {
        let samples: [Double] = [-100, -30, -10, -6, 0, 12, 18, 36, 40, 49, 51, 1000]
        let counts = OutlierCounts(samples: samples, fences: fences)
        #expect(counts == OutlierCounts(lowSevere: 2, lowMild: 2, highMild: 3, highSevere: 2))
        #expect(counts.total == 9)
    }

    @Test("fences from a sample use the type-7 quartiles")
    func fromSample() {
        // n = 8: Q1 at h = 1.75, Q3 at h = 5.25.
        let sorted: [Double] = [1, 2, 3, 4, 5, 6, 7, 100]
        let fences = TukeyFences(sorted: sorted)
        #expect(fences == TukeyFences(q1: 2.75, q3: 6.25))
        let stats = Statistics(samples: sorted, bootstrap: nil)
        // IQR 3.5: high severe above 6.25 + 10.5 = 16.75.
        #expect(stats.outliers == OutlierCounts(highSevere: 1))
    }

    @Test("zero IQR: everything equal to the quartiles is inside, anything else an outlier")
    func zeroIQR() {
        let stats = Statistics(samples: [5, 5, 5, 5, 5, 5, 5, 5.5, 4], bootstrap: nil)
        #expect(stats.iqr == 0)
        #expect(stats.outliers == OutlierCounts(lowSevere: 1, highSevere: 1))
    }

    @Test("outlier kinds and counts encode with stable names; total is not stored")
    func coding() throws {
        #expect(OutlierKind.allRawValues == ["lowSevere", "lowMild", "none", "highMild", "highSevere"])
        let data = try JSONEncoder().encode(OutlierCounts(lowSevere: 1, lowMild: 2, highMild: 3, highSevere: 4))
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Int])
        #expect(object == ["lowSevere": 1, "lowMild": 2, "highMild": 3, "highSevere": 4])
    }
}

extension OutlierKind {
    static var allRawValues: [String] {
        [OutlierKind.lowSevere, .lowMild, .none, .highMild, .highSevere].map(\.rawValue)
    }
}
