import DeskCore
import DeskFaceKit
import Foundation

/// What a fresh WHMCS brings, as SwiftDesk reference data.
enum WHMCSSetup {
    static func defaults() throws -> ReferenceImport {
        var data = ReferenceImport(face: WHMCSFace.faceName)
        data.states = ["answered", "customer reply", "on hold", "in progress"].map { .init(name: $0, type: "open") }
        data.queues = [.init(origin: .init(kind: WHMCSMapping.Kind.department, id: "1"), name: "Sample Support Department")]
        data.documents = [try WHMCSDirectory().document]
        return data
    }
}
