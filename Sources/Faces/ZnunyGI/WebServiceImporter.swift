import DeskCore
import DeskFaceKit
import Yams

/// Reads a Znuny web service export (the YAML of Admin → Web Services → Export): the provider
/// transport, its route table and the operation types.
public enum WebServiceImporter {
    public struct Result: Sendable {
        public var service: WebService
        /// Operations whose type SwiftDesk does not implement: `name (type)`.
        public var unsupported: [String]
    }

    public enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        case missing(String)

        public var description: String {
            switch self {
            case .unreadable(let reason): "not a Znuny web service export: \(reason)"
            case .missing(let key): "the export has no \(key)"
            }
        }
    }

    public static func parse(_ yaml: String, name: String) throws -> Result {
        let document: Any?
        do {
            document = try Yams.load(yaml: yaml)
        } catch {
            throw Failure.unreadable("\(error)")
        }
        guard let root = document as? [String: Any] else { throw Failure.unreadable("the top level is not a mapping") }
        guard let provider = root["Provider"] as? [String: Any] else { throw Failure.missing("Provider section") }
        guard let transport = provider["Transport"] as? [String: Any], let type = transport["Type"] as? String else {
            throw Failure.missing("Provider → Transport → Type")
        }
        guard let kind = WebService.Transport(rawValue: type) else { throw Failure.unreadable("unsupported transport '\(type)'") }
        let config = transport["Config"] as? [String: Any] ?? [:]
        let mapping = config["RouteOperationMapping"] as? [String: Any] ?? [:]
        let operations = provider["Operation"] as? [String: Any] ?? [:]
        var result: [WebServiceOperation] = []
        var unsupported: [String] = []
        for operationName in operations.keys.sorted() {
            guard let operation = operations[operationName] as? [String: Any], let operationType = operation["Type"] as? String else {
                continue
            }
            guard WebServiceOperation.knownTypes.contains(operationType) else {
                unsupported.append("\(operationName) (\(operationType))")
                continue
            }
            var route = ""
            var methods: [String] = []
            if kind == .rest {
                guard let entry = mapping[operationName] as? [String: Any], let path = entry["Route"] as? String else {
                    throw Failure.missing("route for operation \(operationName)")
                }
                route = path
                methods = (entry["RequestMethod"] as? [Any])?.compactMap { $0 as? String } ?? ["GET"]
            }
            result.append(WebServiceOperation(name: operationName, type: operationType, route: route, methods: methods))
        }
        let namespace = config["NameSpace"] as? String ?? ""
        return Result(
            service: WebService(id: 0, name: name, transport: kind, operations: result, namespace: namespace),
            unsupported: unsupported)
    }
}
