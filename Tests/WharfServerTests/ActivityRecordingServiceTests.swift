import Foundation
import Logging
import ServiceLifecycle
import Testing
import WharfServer

@Suite("The activity recording service")
struct ActivityRecordingServiceTests {
    @Test("it prunes audit events past their retention, and writes what waits when the group shuts down")
    func prunesAndFlushes() async throws {
        let metadata = InMemoryMetadataStore()
        let now = Date()
        try await metadata.appendAudit([
            AuditEvent(time: now.addingTimeInterval(-10 * 86_400), action: .pull, principal: "old"),
            AuditEvent(time: now.addingTimeInterval(-3_600), action: .push, principal: "recent"),
        ])
        let recorder = ActivityRecorder(store: metadata, interval: .seconds(3_600))
        let service = ActivityRecordingService(recorder: recorder, auditRetention: .seconds(7 * 86_400))
        let group = ServiceGroup(services: [service], logger: Logger(label: "test"))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // The first pruning happens as the service starts.
            while try await metadata.auditEvents(matching: AuditQuery()).count == 2 {
                try await Task.sleep(for: .milliseconds(2))  // polling the store, not waiting for time
            }
            recorder.recordAudit(AuditEvent(time: now, action: .login, principal: "waiting"))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
        let left = try await metadata.auditEvents(matching: AuditQuery()).map(\.principal)
        #expect(left == ["recent", "waiting"], "the old event went; the batched one was written at shutdown")
    }
}
