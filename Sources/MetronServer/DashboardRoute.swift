import Foundation
import Hummingbird
import MetronCore
import MetronReport

/// The last rendered dashboard, keyed by the runs it shows: rendering assembles history,
/// bootstrap intervals and charts, far too slow to repeat for every request of a busy page.
actor DashboardCache {
    private var key: String?
    private var html: String?

    func get(_ key: String) -> String? { key == self.key ? html : nil }
    func put(_ key: String, _ html: String) { self.key = key; self.html = html }
    func invalidate() { key = nil; html = nil }
}

extension MetronServer {
    func dashboardPage() async throws -> Response {
        guard let latest = try await store.runs(limit: 1).first else {
            return html(Self.emptyPage)
        }
        let baseline = try await store.baseline(name: configuration.baselineName)
        let key = latest.id + "|" + (baseline?.runID ?? "")
        if let cached = await dashboard.get(key) { return html(cached) }
        guard let run = try await store.run(id: latest.id) else { return JSONResponse.error(.notFound, "run vanished") }
        var base: RunReport?
        if let baseline { base = try await store.run(id: baseline.runID) }
        let data = try await ReportLoader.load(
            store: store, run: run, baseline: base, baselineName: configuration.baselineName,
            budgets: configuration.budgets, bands: configuration.bands, historyRuns: configuration.historyRuns,
            title: "Metron dashboard", generatedAt: Timestamp(secondsSinceEpoch: Date().timeIntervalSince1970))
        let page = HTMLReport.render(data)
        await dashboard.put(key, page)
        return html(page)
    }

    func html(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static let emptyPage = """
        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Metron dashboard</title>
        <style>body{font:16px system-ui,sans-serif;margin:4rem auto;max-width:40rem;color:#222}code{background:#eee;padding:.1em .3em}</style>
        </head><body><h1>Metron dashboard</h1><p>No runs stored yet. Run <code>metron run</code> against this store,
        or upload one: <code>curl -H "Authorization: Bearer $METRON_TOKEN" --data-binary @run.json http://HOST/api/runs</code>.</p></body></html>
        """
}
