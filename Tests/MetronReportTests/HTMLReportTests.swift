import Foundation
import MetronCore
@testable import MetronReport
import Testing

struct HTMLReportTests {
    @Test func writesFixtureReport() throws {
        let data = ReportFixture(benchmarks: 500).data()
        let html = HTMLReport.render(data)
        try html.write(toFile: "/tmp/report-fixture.html", atomically: true, encoding: .utf8)
        #expect(html.count > 0)
    }
}
