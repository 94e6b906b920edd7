import NIOCore
import WharfStorage

enum WalkChecks {
    static let files = ["/w/a/1", "/w/a/2", "/w/b", "/w/c/d/e", "/w/c-x"]

    static func populate(_ driver: any StorageDriver) async throws {
        for name in files { try await driver.putContent(try path(name), ByteBuffer(string: name)) }
    }

    static func visited(
        _ driver: any StorageDriver, startAfter: String? = nil,
        decide: (StorageFileInfo) -> WalkDecision = { _ in .proceed }
    ) async throws -> [String] {
        var seen: [String] = []
        try await driver.walk(try path("/w"), startAfter: try startAfter.map(path)) { info in
            seen.append(info.path.rawValue + (info.isDirectory ? "/" : ""))
            return decide(info)
        }
        return seen
    }

    static let all: [StorageDriverTestKit.Check] = [
        .init(name: "walk visits every entry depth first, each directory before its contents") { driver in
            try await populate(driver)
            let seen = try await visited(driver)
            try expect(
                seen == ["/w/a/", "/w/a/1", "/w/a/2", "/w/b", "/w/c/", "/w/c/d/", "/w/c/d/e", "/w/c-x"],
                "order \(seen)")
        },
        .init(name: "walk honours skipDirectory and stop") { driver in
            try await populate(driver)
            let skipped = try await visited(driver) {
                $0.path.lastComponent == "c" ? .skipDirectory : .proceed
            }
            try expect(
                skipped == ["/w/a/", "/w/a/1", "/w/a/2", "/w/b", "/w/c/", "/w/c-x"], "skip \(skipped)")
            let stopped = try await visited(driver) { $0.path.lastComponent == "b" ? .stop : .proceed }
            try expect(stopped == ["/w/a/", "/w/a/1", "/w/a/2", "/w/b"], "stop \(stopped)")
        },
        .init(name: "walk carries on when a directory it is about to enter is deleted meanwhile") { driver in
            try await populate(driver)
            var seen: [String] = []
            try await driver.walk(try path("/w"), startAfter: nil) { info in
                seen.append(info.path.rawValue + (info.isDirectory ? "/" : ""))
                // Another process (a garbage collection, say) removes the directory after the
                // walk saw it and before the walk lists it.
                if info.path.rawValue == "/w/c" { try await driver.delete(info.path) }
                return .proceed
            }
            try expect(
                seen == ["/w/a/", "/w/a/1", "/w/a/2", "/w/b", "/w/c/", "/w/c-x"], "walk completed: \(seen)")
        },
        .init(name: "walk skips everything at or before the start-after hint") { driver in
            try await populate(driver)
            let afterFile = try await visited(driver, startAfter: "/w/a/1")
            try expect(
                afterFile == ["/w/a/2", "/w/b", "/w/c/", "/w/c/d/", "/w/c/d/e", "/w/c-x"],
                "after /w/a/1: \(afterFile)")
            let afterDirectory = try await visited(driver, startAfter: "/w/c")
            try expect(afterDirectory == ["/w/c-x"], "after /w/c: \(afterDirectory)")
        },
    ]
}
