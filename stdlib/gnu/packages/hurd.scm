;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages hurd): GNU Mach, MIG and the Hurd, as in GNU Guix 1.5.
;;; Names, versions, source URLs and hashes are Guix's; inputs outside the
;;; part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages hurd)
  #:use-module ((guix licenses) #:select (gpl2 gpl2+))
  #:use-module (gnu packages)
  #:use-module (gnu packages base)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages gawk)
  #:use-module (gnu packages gnupg)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix git-download)
  #:use-module (guix build-system gnu)
  #:use-module (guix build-system trivial))

(define-public gnumach-headers
  (let ((commit "v1.8+git20240714"))
    (package
      (name "gnumach-headers")
      (version (string-drop commit 1))
      (source
       (origin
         (method git-fetch)
         (uri (git-reference
               (url "https://git.savannah.gnu.org/git/hurd/gnumach.git")
               (commit commit)))
         (patches (search-patches "gnumach-version.patch"))
         (file-name (git-file-name "gnumach" version))
         (sha256
          (base32 "0ykav1kx0bgxcxw04bpcsh5s4531fzdkahjgrlsfs2h3w3vfkga0"))))
      (build-system gnu-build-system)
      (arguments '(#:tests? #f))
      (supported-systems %hurd-systems)
      (home-page "https://www.gnu.org/software/hurd/microkernel/mach/gnumach.html")
      (synopsis "GNU Mach kernel headers")
      (description
       "Headers of the GNU Mach kernel.")
      (license gpl2+))))

(define-public mig
  (package
    (name "mig")
    (version "1.8+git20231217")
    (source (origin
              (method git-fetch)
              (uri (git-reference
                    (url "https://git.savannah.gnu.org/git/hurd/mig.git")
                    (commit (string-append "v" version))))
              (file-name (git-file-name name version))
              (sha256
               (base32
                "1mx7w5vzw5ws0zplm1y6s679jb1g2hjkiwl3dlk5lxys0dxs5g4g"))))
    (build-system gnu-build-system)
    (inputs (list gnumach-headers))               ;Guix: + flex
    (arguments '(#:tests? #f))
    (home-page "https://www.gnu.org/software/hurd/microkernel/mach/mig/gnu_mig.html")
    (synopsis "Mach 3.0 interface generator for the Hurd")
    (description
     "GNU MIG is the GNU distribution of the Mach 3.0 interface generator
MIG, as maintained by the GNU Hurd developers for the GNU project.")
    (license gpl2+)))

(define-public hurd-headers
  (let ((commit "v0.9.git20240714"))
    (package
      (name "hurd-headers")
      (version (string-drop commit 1))
      (source (origin
                (method git-fetch)
                (uri (git-reference
                      (url "https://git.savannah.gnu.org/git/hurd/hurd.git")
                      (commit commit)))
                (sha256
                 (base32
                  "0wvzil3llmrjg7ymwqs86d11bm5fl771jwncv7kk679lsvqca0ll"))
                (file-name (git-file-name name version))))
      (build-system gnu-build-system)
      (native-inputs (list mig))                  ;Guix: + autoconf, automake
      (arguments '(#:tests? #f))
      (supported-systems %hurd-systems)
      (home-page "https://www.gnu.org/software/hurd/hurd.html")
      (synopsis "GNU Hurd headers")
      (description
       "This package provides C headers of the GNU Hurd, used to build the GNU C
Library and other user programs.")
      (license gpl2+))))

(define-public gnumach
  (package
    (inherit gnumach-headers)
    (name "gnumach")
    (arguments
     '(#:configure-flags '("--enable-kdb"
                           "--disable-net-group"
                           "--disable-pcmcia-group"
                           "--disable-wireless-group")))
    ;; Guix also has autoconf, automake, perl and texinfo-4.
    (native-inputs (list mig))
    (supported-systems `("i686-linux" ,@%hurd-systems))
    (synopsis "Microkernel of the GNU system")
    (description
     "GNU Mach is the microkernel upon which a GNU Hurd system is based.")))

(define unifont
  ;; GNU Unifont, used by the VGA driver of the Hurd's console client.
  (origin
    (method url-fetch)
    (uri
     "http://unifoundry.com/pub/unifont-7.0.06/font-builds/unifont-7.0.06.bdf.gz")
    (sha256
     (base32
      "0p2vhnc18cnbmb39vq4m7hzv4mhnm2l0a2s7gx3ar277fwng3hys"))))

(define dde-sources
  ;; The tip of the dde branch of the Hurd incubator.
  (let ((commit "b6c8526c703f3ba76294d9002f195c63897ec661"))
    (origin
      (method git-fetch)
      (uri (git-reference
            (url "https://git.savannah.gnu.org/git/hurd/incubator.git")
            (commit commit)))
      (sha256
       (base32
        "0k1ilj8ghli8x43xaksbc4y419pqh0w16k374914c07svq419bbr"))
      (file-name (git-file-name "dde" (string-take commit 7))))))

(define-public rumpkernel
  (let ((commit "f1ffd6405f225336e595a0f99f01095ed7438337")
        (revision "0"))
    (package
      (name "rumpkernel")
      (version (git-version "0-20211031" revision commit))
      (source (origin
                (method git-fetch)
                (uri (git-reference
                      (url "https://salsa.debian.org/hurd-team/rumpkernel.git")
                      (commit commit)))
                (sha256
                 (base32
                  "1ygn3ysji06ik3k44sf906fjpdmabznkspw70llldbk2zkrcdw7i"))
                (file-name (git-file-name name version))))
      (build-system gnu-build-system)
      (arguments '(#:tests? #f))
      (native-inputs (list mig))
      (supported-systems %hurd-systems)
      (home-page "https://www.netbsd.org/docs/rump/")
      (synopsis "NetBSD drivers as rump kernels, for the Hurd")
      (description
       "The rump kernel provides NetBSD kernel drivers as userland
components; the Hurd uses its disk drivers in rumpdisk.")
      (license (list gpl2+)))))

(define-public hurd
  (package
    (name "hurd")
    (source (origin
              (inherit (package-source hurd-headers))
              (patches (search-patches "hurd-refcounts-assert.patch"
                                       "hurd-rumpdisk-no-hd.patch"
                                       "hurd-startup.patch"
                                       "hurd-socket-activation.patch"
                                       "hurd-64bit.patch"))))
    (version (package-version hurd-headers))
    (arguments '(#:tests? #f))
    (build-system gnu-build-system)
    ;; Guix also has libdaemon, libpciaccess-static, libtirpc, util-linux and
    ;; parted, and native autoconf, automake, pkg-config, perl and texinfo-4.
    (inputs
     `(("libgcrypt" ,libgcrypt)                  ;for /hurd/random
       ("unifont" ,unifont)
       ("bash-minimal" ,bash-minimal)
       ("coreutils" ,coreutils)
       ("sed" ,sed)
       ("grep" ,grep)
       ("rumpkernel" ,rumpkernel)))
    (native-inputs
     `(("libgcrypt" ,libgcrypt)                   ;for 'libgcrypt-config'
       ("mig" ,mig)
       ("dde-sources" ,dde-sources)))
    (supported-systems %hurd-systems)
    (home-page "https://www.gnu.org/software/hurd/hurd.html")
    (synopsis "The kernel servers for the GNU operating system")
    (description
     "The Hurd is the kernel for the GNU system, a replacement and
augmentation of standard Unix kernels.")
    (license gpl2+)))

(define-public netdde
  (let ((commit "c0ef248dc7c5ccc1273e2a796f3ece30c5b645df")
        (revision "3"))
    (package
      (name "netdde")
      (version (git-version "2.6.32.65" revision commit))
      (source (origin
                (method git-fetch)
                (uri (git-reference
                      (url "https://git.savannah.gnu.org/git/hurd/incubator.git")
                      (commit commit)))
                (patches (search-patches "netdde-build-fix.patch"
                                         "netdde-csum.patch"))
                (sha256
                 (base32
                  "070fpmd4nvn3mp8dj9w4if63iwz7j2m0h6ywq888znw70wlrc6sh"))
                (file-name (git-file-name name commit))))
      (build-system gnu-build-system)
      (arguments '(#:tests? #f))
      (inputs (list hurd zlib `(,zlib "static")))  ;Guix: + libpciaccess-static
      (native-inputs
       `(("coreutils" ,coreutils)
         ("gawk" ,gawk)
         ("grep" ,grep)
         ("sed" ,sed)
         ("dde-sources" ,dde-sources)))
      (supported-systems %hurd-systems)
      (home-page "https://www.gnu.org/software/hurd/hurd.html")
      (synopsis "Linux network drivers glued by the DDE layer")
      (description
       "This package provides Linux 2.6 network drivers that can be embedded
in userland processes thanks to the DDE layer.")
      (license gpl2))))
