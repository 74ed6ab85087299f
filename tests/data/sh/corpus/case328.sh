f() { cat; }; f <<EOF
fn heredoc
EOF