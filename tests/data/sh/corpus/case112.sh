cat <<-EOF
	tab stripped
		two
	EOF