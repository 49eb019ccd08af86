import Testing
import MetronCore

@Suite struct ComplexityFitTests {
    let sizes: [Double] = [10, 50, 100, 500, 1000]

    /// Deterministic ±3 % multiplicative noise, so the fits face something like real timings.
    func noisy(_ values: [Double]) -> [Double] {
        let jitter = [1.02, 0.97, 1.03, 0.98, 1.01]
        return zip(values, jitter).map { $0 * $1 }
    }

    @Test func linearScanIsLinearWithItsPerStepCost() throws {
        let costs = noisy(sizes.map { 5e-6 + 240e-6 * $0 })
        let fit = try #require(ComplexityFit.fit(sizes: sizes, costs: costs))
        #expect(fit.complexity == .linear)
        #expect(abs(fit.coefficient - 240e-6) / 240e-6 < 0.05)
        #expect(fit.summary().hasPrefix("linear, ~2"))
        #expect(fit.summary().hasSuffix("µs per step"))
    }

    @Test func quadraticScanIsQuadratic() throws {
        let costs = noisy(sizes.map { 1e-6 + 3e-9 * $0 * $0 })
        let fit = try #require(ComplexityFit.fit(sizes: sizes, costs: costs))
        #expect(fit.complexity == .quadratic)
        #expect(fit.complexity.isSuperlinear)
    }

    @Test func flatScanIsConstant() throws {
        let costs = noisy(sizes.map { _ in 1e-3 })
        let fit = try #require(ComplexityFit.fit(sizes: sizes, costs: costs))
        #expect(fit.complexity == .constant)
        #expect(fit.summary().hasPrefix("constant"))
    }

    @Test func logarithmicAndLinearithmicAreTold() throws {
        let log = try #require(ComplexityFit.fit(sizes: [8, 64, 512, 4096, 32768, 262144],
                                                 costs: [8, 64, 512, 4096, 32768, 262144].map { 1e-6 + 1e-7 * Foundation_log($0) }))
        #expect(log.complexity == .logarithmic)
        let nlogn = try #require(ComplexityFit.fit(sizes: [8, 64, 512, 4096, 32768, 262144],
                                                   costs: [8, 64, 512, 4096, 32768, 262144].map { 1e-6 + 1e-8 * $0 * Foundation_log($0) }))
        #expect(nlogn.complexity == .linearithmic)
    }

    @Test func tooFewPointsHaveNoVerdict() {
        #expect(ComplexityFit.fit(sizes: [10, 20], costs: [1, 2]) == nil)
        #expect(ComplexityFit.fit(sizes: [10, 20, 30], costs: [1, 0, 2]) == nil)
        // Three compression levels: any two-coefficient model fits three points.
        #expect(ComplexityFit.fit(sizes: [1, 6, 9], costs: [0.01, 0.05, 0.4]) == nil)
        // Four points over a factor of two: too narrow to tell growth classes apart.
        #expect(ComplexityFit.fit(sizes: [100, 120, 150, 200], costs: [1, 1.4, 2.2, 4]) == nil)
    }

    /// Richer models need to fit clearly better: quadratic data stays quadratic, though a cubic
    /// (with its own coefficient) can follow the noise a little closer.
    @Test func theSimplerModelWinsUnlessTheRicherIsClearlyBetter() throws {
        let quadratic = try #require(ComplexityFit.fit(sizes: sizes, costs: noisy(sizes.map { 1e-6 + 3e-9 * $0 * $0 })))
        #expect(quadratic.complexity == .quadratic)
        let cubic = try #require(ComplexityFit.fit(sizes: sizes, costs: noisy(sizes.map { 1e-6 + 2e-12 * $0 * $0 * $0 })))
        #expect(cubic.complexity == .cubic)
    }
}

#if canImport(Glibc)
import Glibc
private func Foundation_log(_ x: Double) -> Double { Glibc.log(x) }
#endif
