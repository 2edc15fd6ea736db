/** An application module on the MutagenT SDK. */
module example.modular {
  requires io.mutagent;
}
