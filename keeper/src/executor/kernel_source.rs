//! What a renter's CUDA source may ask of the compiler before it is compiled.
//!
//! NVRTC runs inside the keeper's job sandbox, but the source is screened first so that no
//! compiler ever sees a way to reach a file: `#include` of the provider's key by relative or
//! absolute path, `__has_include` probing for it, `#embed`, or a pragma or token paste that could
//! build one of those. The screen is deliberately stricter than any preprocessor: where its reading
//! of the source could differ from the compiler's (a raw string, a trigraph, an unknown
//! directive), the source is refused rather than guessed at. Kernels need none of these.

/// Directives a kernel may use; every other one (`include`, `include_next`, `import`, `embed`,
/// and anything unknown) is refused.
const ALLOWED_DIRECTIVES: &[&str] = &[
    "define", "undef", "if", "ifdef", "ifndef", "elif", "elifdef", "elifndef", "else", "endif",
    "error", "warning", "line", "pragma",
];

/// Pragmas a kernel may use (loop unrolling and diagnostics); others could alias or load files
/// on some compiler.
const ALLOWED_PRAGMAS: &[&str] = &[
    "unroll",
    "nounroll",
    "once",
    "nv_diag_suppress",
    "nv_diag_warning",
    "nv_diag_default",
    "diag_suppress",
];

/// Why a kernel source is refused; `line` is 1-based in the source as sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SourceRefused {
    #[error("line {line}: the directive `#{directive}` is not allowed in a kernel (no file may be reached from a job)")]
    Directive { line: usize, directive: String },
    #[error("line {line}: `#pragma {pragma}` is not allowed in a kernel")]
    Pragma { line: usize, pragma: String },
    #[error("line {line}: `{token}` is not allowed in a kernel (it can reach files or build directives)")]
    Token { line: usize, token: String },
    #[error("line {line}: trigraphs are not allowed in a kernel")]
    Trigraph { line: usize },
    #[error("line {line}: raw string literals are not allowed in a kernel")]
    RawString { line: usize },
}

/// Checks `source` against the rules above.
pub fn screen(source: &str) -> Result<(), SourceRefused> {
    let bytes = source.as_bytes();
    if let Some(at) = find_trigraph(bytes) {
        return Err(SourceRefused::Trigraph {
            line: line_of(bytes, at),
        });
    }
    let mut lexer = Lexer {
        src: bytes,
        pos: 0,
        line: 1,
        at_line_start: true,
    };
    while let Some(token) = lexer.next_token()? {
        match token {
            Token::Directive { line, name, pragma } => check_directive(line, &name, &pragma)?,
            Token::Ident { line, text } => check_ident(line, &text)?,
            Token::Paste { line } => {
                return Err(SourceRefused::Token {
                    line,
                    token: "##".into(),
                })
            }
        }
    }
    Ok(())
}

fn check_directive(line: usize, name: &str, pragma: &str) -> Result<(), SourceRefused> {
    // A lone `#` is the null directive.
    if name.is_empty() {
        return Ok(());
    }
    if !ALLOWED_DIRECTIVES.contains(&name) {
        return Err(SourceRefused::Directive {
            line,
            directive: name.to_owned(),
        });
    }
    if name == "pragma" && !ALLOWED_PRAGMAS.contains(&pragma) {
        return Err(SourceRefused::Pragma {
            line,
            pragma: pragma.to_owned(),
        });
    }
    Ok(())
}

fn check_ident(line: usize, ident: &str) -> Result<(), SourceRefused> {
    let lower = ident.to_ascii_lowercase();
    // `__has_include`, GCC's `__has_include__`, `__has_include_next`, `__has_embed`; `_Pragma`
    // and MSVC's `__pragma` would run a pragma the directive check never sees.
    let refused = lower.contains("include")
        || lower.contains("embed")
        || ident == "_Pragma"
        || ident == "__pragma";
    if refused {
        return Err(SourceRefused::Token {
            line,
            token: ident.to_owned(),
        });
    }
    Ok(())
}

fn find_trigraph(bytes: &[u8]) -> Option<usize> {
    bytes
        .windows(3)
        .position(|w| w[0] == b'?' && w[1] == b'?' && b"=/'()!<>-".contains(&w[2]))
}

fn line_of(bytes: &[u8], at: usize) -> usize {
    1 + bytes[..at].iter().filter(|&&b| b == b'\n').count()
}

enum Token {
    Directive {
        line: usize,
        name: String,
        /// The pragma's name, for `#pragma`.
        pragma: String,
    },
    Ident {
        line: usize,
        text: String,
    },
    Paste {
        line: usize,
    },
}

/// Reads the source as translation phases 2–3 do (line splices, comments, literals) and yields
/// what the screen judges. Literals end at the end of their line, so a mis-read literal can only
/// make the lexer see more directives than the compiler does, never fewer.
#[derive(Clone)]
struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
    line: usize,
    at_line_start: bool,
}

impl Lexer<'_> {
    fn peek(&self, ahead: usize) -> Option<u8> {
        let mut pos = self.pos;
        let mut left = ahead;
        loop {
            pos = self.skip_splices(pos);
            let b = *self.src.get(pos)?;
            if left == 0 {
                return Some(b);
            }
            left -= 1;
            pos += 1;
        }
    }

    /// Only an exact backslash-newline is a splice: one the compiler might not take (a
    /// backslash, spaces, newline) stays a line break here, which shows the lexer more lines.
    fn skip_splices(&self, mut pos: usize) -> usize {
        loop {
            match (
                self.src.get(pos),
                self.src.get(pos + 1),
                self.src.get(pos + 2),
            ) {
                (Some(b'\\'), Some(b'\n'), _) => pos += 2,
                (Some(b'\\'), Some(b'\r'), Some(b'\n')) => pos += 3,
                _ => return pos,
            }
        }
    }

    fn bump(&mut self) -> Option<u8> {
        let start = self.pos;
        self.pos = self.skip_splices(self.pos);
        self.line += self.src[start..self.pos]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        let b = *self.src.get(self.pos)?;
        self.pos += 1;
        if b == b'\n' {
            self.line += 1;
        }
        Some(b)
    }

    fn next_token(&mut self) -> Result<Option<Token>, SourceRefused> {
        while let Some(b) = self.peek(0) {
            match b {
                b'\n' => {
                    self.bump();
                    self.at_line_start = true;
                }
                b' ' | b'\t' | b'\r' | 0x0b | 0x0c => {
                    self.bump();
                }
                b'/' if self.peek(1) == Some(b'/') => self.skip_line_comment(),
                b'/' if self.peek(1) == Some(b'*') => self.skip_block_comment(),
                b'#' | b'%' if self.at_line_start && self.is_hash() => {
                    return Ok(Some(self.directive()));
                }
                b'#' if self.peek(1) == Some(b'#') => {
                    return Ok(Some(Token::Paste { line: self.line }));
                }
                b'%' if self.peek(1) == Some(b':') => {
                    // `%:%:` is `##`; a lone `%:` mid-line is `#` (stringize).
                    if self.peek(2) == Some(b'%') && self.peek(3) == Some(b':') {
                        return Ok(Some(Token::Paste { line: self.line }));
                    }
                    self.bump();
                    self.bump();
                    self.at_line_start = false;
                }
                b'"' | b'\'' => {
                    self.skip_literal(b);
                    self.at_line_start = false;
                }
                b if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => {
                    let line = self.line;
                    let text = self.ident();
                    // A raw string (`R"…"`, `u8R"…"`, `LR"…"`…) can hide a comment opener from
                    // a lexer that does not track its delimiter; none is needed in a kernel.
                    if text.ends_with('R') && self.peek(0) == Some(b'"') {
                        return Err(SourceRefused::RawString { line });
                    }
                    self.at_line_start = false;
                    return Ok(Some(Token::Ident { line, text }));
                }
                _ => {
                    self.bump();
                    self.at_line_start = false;
                }
            }
        }
        Ok(None)
    }

    fn is_hash(&self) -> bool {
        match self.peek(0) {
            Some(b'#') => self.peek(1) != Some(b'#'),
            Some(b'%') => self.peek(1) == Some(b':'),
            _ => false,
        }
    }

    fn directive(&mut self) -> Token {
        let line = self.line;
        if self.bump() == Some(b'%') {
            self.bump();
        }
        // Comments between `#` and the name are whitespace to the preprocessor.
        self.skip_blanks();
        let name = match self.peek(0) {
            Some(b) if b.is_ascii_alphabetic() || b == b'_' || b >= 0x80 => self.ident(),
            // `#` followed by anything else (a number, punctuation) is not a directive we know.
            Some(b) if b != b'\n' && b != b'/' => {
                self.bump();
                format!("{}", char::from(b).escape_default())
            }
            _ => String::new(),
        };
        self.at_line_start = false;
        // The rest of the line is tokenized like any other (its identifiers and pastes are
        // judged too); only a pragma's name is looked at here, without consuming it.
        let pragma = if name == "pragma" {
            let mut probe = self.clone();
            probe.skip_blanks();
            match probe.peek(0) {
                Some(b) if b.is_ascii_alphabetic() || b == b'_' => probe.ident(),
                _ => String::new(),
            }
        } else {
            String::new()
        };
        Token::Directive { line, name, pragma }
    }

    /// Spaces, tabs and block comments within a line.
    fn skip_blanks(&mut self) {
        loop {
            match self.peek(0) {
                Some(b' ' | b'\t' | b'\r' | 0x0b | 0x0c) => {
                    self.bump();
                }
                Some(b'/') if self.peek(1) == Some(b'*') => self.skip_block_comment(),
                _ => return,
            }
        }
    }

    fn ident(&mut self) -> String {
        let mut text = String::new();
        while let Some(b) = self.peek(0) {
            if b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80 {
                self.bump();
                text.push(char::from(b));
            } else {
                break;
            }
        }
        text
    }

    fn skip_line_comment(&mut self) {
        while let Some(b) = self.peek(0) {
            if b == b'\n' {
                break;
            }
            self.bump();
        }
    }

    fn skip_block_comment(&mut self) {
        self.bump();
        self.bump();
        while let Some(b) = self.bump() {
            if b == b'*' && self.peek(0) == Some(b'/') {
                self.bump();
                return;
            }
        }
    }

    fn skip_literal(&mut self, quote: u8) {
        self.bump();
        while let Some(b) = self.peek(0) {
            if b == b'\n' {
                return;
            }
            self.bump();
            if b == b'\\' {
                if self.peek(0) != Some(b'\n') {
                    self.bump();
                }
            } else if b == quote {
                return;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KERNEL: &str = r##"
// Doubles each element. "quotes" and # in comments are fine.
#define N 256
#if N > 128
#pragma unroll
#endif
extern "C" __global__ void twice(const int *in, int *out) {
    int i = blockIdx.x * blockDim.x + threadIdx.x; /* #include in a comment */
    const char *s = "#include <x>";
    char c = '#';
    if (i < N) out[i] = in[i] * 2;
}
"##;

    fn refused(source: &str) -> SourceRefused {
        match screen(source) {
            Err(e) => e,
            Ok(()) => panic!("accepted: {source:?}"),
        }
    }

    #[test]
    fn an_ordinary_kernel_passes() {
        assert_eq!(screen(KERNEL), Ok(()));
    }

    #[test]
    fn includes_are_refused_however_spelled() {
        for source in [
            "#include \"../keeper.mnemonic\"\n",
            "#include </root/.gridshare/key>\n",
            "  #  include <x>\n",
            "#/* c */include <x>\n",
            "#\\\ninclude <x>\n",
            "%:include <x>\n",
            "%: include <x>\n",
            "#include_next <x>\n",
            "#import <x>\n",
            "#embed <x>\n",
            "int a;\n#include <x>\n",
            "/* a */ #include <x>\n",
            "#inc\\\nlude <x>\n",
        ] {
            assert!(
                matches!(refused(source), SourceRefused::Directive { .. }),
                "{source:?}"
            );
        }
    }

    #[test]
    fn probes_and_directive_builders_are_refused() {
        for (source, token) in [
            ("#if __has_include(</key>)\n#endif\n", "__has_include"),
            ("#if __has_include__(</key>)\n#endif\n", "__has_include__"),
            (
                "#if __has_include_next(<k>)\n#endif\n",
                "__has_include_next",
            ),
            ("#if __has_embed(</key>)\n#endif\n", "__has_embed"),
            ("_Pragma(\"once\")\n", "_Pragma"),
            ("#define P(a,b) a##b\n", "##"),
            ("#define P(a,b) a%:%:b\n", "##"),
        ] {
            assert_eq!(
                refused(source),
                SourceRefused::Token {
                    line: 1,
                    token: token.into()
                },
                "{source:?}"
            );
        }
    }

    #[test]
    fn a_string_cannot_hide_a_directive_from_the_screen() {
        // The raw string would end after `/* ` for a naive lexer and open a comment over the
        // include; it is refused instead.
        assert_eq!(
            refused("const char *s = R\"x(\" /* )x\";\n#include </key>\n// */\n"),
            SourceRefused::RawString { line: 1 }
        );
        // An unterminated literal ends at its line, so the next line's directive is seen.
        assert!(matches!(
            refused("char c = '\"';\nconst char *s = \"abc\n#include <x>\n"),
            SourceRefused::Directive { line: 3, .. }
        ));
        // A backslash and spaces before the newline is no splice here: the include is seen.
        assert!(matches!(
            refused("// comment \\  \n#include <x>\n"),
            SourceRefused::Directive { line: 2, .. }
        ));
    }

    #[test]
    fn pragmas_outside_the_list_and_trigraphs_are_refused() {
        assert_eq!(
            refused("#pragma include_alias(\"a\", \"/key\")\n"),
            SourceRefused::Pragma {
                line: 1,
                pragma: "include_alias".into()
            }
        );
        assert_eq!(
            refused("int a;\n??=include <x>\n"),
            SourceRefused::Trigraph { line: 2 }
        );
        assert_eq!(screen("#pragma unroll 4\n#\n"), Ok(()));
    }
}
