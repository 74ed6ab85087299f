cat <<-	EOF
	tabbed delim
	EOF