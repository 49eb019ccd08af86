import Testing
@testable import MetronCore

struct TimestampTests {
    @Test func formatsKnownInstants() {
        #expect(Timestamp(secondsSinceEpoch: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(secondsSinceEpoch: 951_782_400).iso8601 == "2000-02-29T00:00:00.000Z")
        #expect(Timestamp(secondsSinceEpoch: 1_795_932_412.123).iso8601 == "2026-11-29T06:06:52.123Z")
        #expect(Timestamp(secondsSinceEpoch: -1).iso8601 == "1969-12-31T23:59:59.000Z")
    }

    @Test func parsesWhatItFormats() throws {
        for seconds in [0.0, 951_782_400, 1_795_932_412.5, 4_102_444_799.999] {
            let text = Timestamp(secondsSinceEpoch: seconds).iso8601
            let parsed = try #require(Timestamp(iso8601: text))
            #expect(abs(parsed.secondsSinceEpoch - seconds) < 0.001, "\(text)")
        }
        #expect(Timestamp(iso8601: "2026-11-25T04:06:52Z")?.secondsSinceEpoch == 1_795_579_612)
    }

    @Test func rejectsMalformedText() {
        for text in ["", "2026-11-25", "2026-13-01T00:00:00Z", "2026-11-25T04:06:52", "2026-11-25T04:06:52.1x2Z"] {
            #expect(Timestamp(iso8601: text) == nil, "\(text)")
        }
    }
}
