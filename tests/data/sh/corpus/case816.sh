case a in
  a)
    echo A
    ;;
  *)
    echo other
esac