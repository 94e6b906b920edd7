import NIOCore
import WharfStorage

enum ConcurrencyChecks {
    static let all: [StorageDriverTestKit.Check] = [
        .init(name: "concurrent writers to one path leave exactly one writer's whole content") { driver in
            let file = try path("/race/file")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writerNumber in 0..<8 {
                    group.addTask {
                        let writer = try await driver.writer(file, append: false)
                        for _ in 0..<4 {
                            try await writer.write(
                                ByteBuffer(bytes: bytes(16_384, seed: UInt8(writerNumber))))
                        }
                        try await writer.commit()
                    }
                }
                try await group.waitForAll()
            }
            let content = try await readAll(driver, file)
            let candidates = (0..<8).map { number in
                (0..<4).flatMap { _ in bytes(16_384, seed: UInt8(number)) }
            }
            try expect(
                candidates.contains(content),
                "content is one writer's, not a mixture (\(content.count) bytes)")
        },
        .init(name: "concurrent puts to different paths all land") { driver in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 0..<32 {
                    group.addTask {
                        try await driver.putContent(
                            try path("/many/\(number)"), ByteBuffer(string: "\(number)"))
                    }
                }
                try await group.waitForAll()
            }
            try expect(try await driver.list(try path("/many")).count == 32, "all 32 files present")
        },
    ]
}
