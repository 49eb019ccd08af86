import Hummingbird

/// What no route answers: a JSON 404 naming the method and path, instead of an empty page.
struct FallbackMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            return JSONReply.error(.notFound, "no endpoint \(request.method) \(request.uri.path) (see GET /api/runs, /api/history, /api/compare, /health, /metrics)").response
        }
    }
}
