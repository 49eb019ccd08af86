import Foundation
import Testing
@testable import MetronCore

/// The exact t distribution behind the paired test and the prediction intervals, against tables.
struct StudentTTests {
    @Test(arguments: [
        (0.975, 4.0, 2.776), (0.995, 9.0, 3.250), (0.995, 29.0, 2.756), (0.975, 1.0, 12.706),
        (0.95, 10.0, 1.812), (0.975, 30.0, 2.042), (0.995, 7.0, 3.499), (0.995, 4.0, 4.604),
        (0.9, 2.0, 1.886), (0.975, 120.0, 1.980),
    ])
    func quantileMatchesTables(p: Double, nu: Double, expected: Double) {
        let t = StudentT.quantile(p, degreesOfFreedom: nu)
        #expect(abs(t - expected) < 1e-3, "t_{\(p), \(nu)} = \(t), table \(expected)")
        #expect(abs(StudentT.quantile(1 - p, degreesOfFreedom: nu) + t) < 1e-9)
    }

    @Test func cdfAndPValuesAreConsistent() {
        #expect(StudentT.cdf(0, degreesOfFreedom: 5) == 0.5)
        // ν = 1 is the Cauchy distribution: F(t) = ½ + atan(t)/π.
        for t in [-3.0, -0.5, 0.7, 2, 10] {
            #expect(abs(StudentT.cdf(t, degreesOfFreedom: 1) - (0.5 + atan(t) / Double.pi)) < 1e-12)
        }
        #expect(abs(StudentT.twoSidedPValue(2.7764451, degreesOfFreedom: 4) - 0.05) < 1e-6)
        #expect(StudentT.twoSidedPValue(40, degreesOfFreedom: 29) < 1e-20)
        // Large ν approaches the normal: z_{0.975} = 1.959964.
        #expect(abs(StudentT.quantile(0.975, degreesOfFreedom: 1e6) - 1.959964) < 1e-4)
    }
}
