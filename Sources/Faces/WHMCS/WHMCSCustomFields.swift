import DeskCore
import DeskFaceKit
import Foundation

/// `customfields`: `base64(serialize([<field id or name> => value, …]))`, WHMCS's only form.
/// Values go to the support custom fields the face knows (imported from `tblcustomfields`,
/// kept as ticket dynamic fields). As in WHMCS, anything that does not decode is ignored, and so
/// are unknown fields and names that several fields share.
enum WHMCSCustomFields {
    static let limits = PHPSerialized.Limits(maxBytes: 262_144, maxDepth: 4, maxElements: 1_000)

    static func inputs(_ raw: String?, directory: WHMCSDirectory) -> [DynamicFieldInput] {
        guard let raw, !raw.isEmpty, case .array(let members)? = try? PHPSerialized.decode(WHMCSEncoding.base64(raw), limits: limits)
        else { return [] }
        var inputs: [String: DynamicFieldInput] = [:]
        for member in members {
            let field: WHMCSDirectory.CustomField?
            if let id = member.key.intValue {
                field = directory.customFields.first { $0.id == id }
            } else {
                let named = directory.customFields.filter { $0.name == member.key.text }
                field = named.count == 1 ? named[0] : nil
            }
            guard let field, let text = member.value.text else { continue }
            inputs[field.dynamicField] = DynamicFieldInput(name: field.dynamicField, values: text.isEmpty ? [] : [text])
        }
        return inputs.keys.sorted().compactMap { inputs[$0] }
    }
}

/// Decoding as PHP does it for WHMCS's encoded parameters.
enum WHMCSEncoding {
    /// PHP's `base64_decode`, which skips what is not base64; a `+` that arrived as a space (a
    /// form value not URL-encoded) is put back.
    static func base64(_ text: String) -> [UInt8] {
        Base64.decode(text.replacingOccurrences(of: " ", with: "+"))
    }
}
