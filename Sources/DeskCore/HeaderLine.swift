/// Header text as Znuny's MIMEBase `ArticleCreate` (and its file storage) keeps it: every CR and
/// LF removed, nothing else changed.
public enum HeaderLine {
    public static func of(_ text: String) -> String {
        text.filter { $0 != "\r" && $0 != "\n" && $0 != "\r\n" }
    }
}
