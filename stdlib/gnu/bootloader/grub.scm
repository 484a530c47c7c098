;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu bootloader grub): GNU GRUB as a bootloader.
;;;
;;; The model of GNU Guix 1.5's module of the same name: the GRUB bootloader
;;; records (BIOS, minimal, EFI and its variants), GRUB themes, the installer
;;; gexps, and the procedure that makes grub.cfg.
;;;
;;; Where schemos differs from Guix, and why:
;;;
;;; - grub.cfg is generated with the menu entries, default entry, timeout,
;;;   serial/terminal set-up and the firmware entry; the background image,
;;;   fonts, locale and keymap parts of Guix's file (its "eye candy") are
;;;   left to the image stage that renders them.
;;; - The artwork repository is looked up when a theme needs it, so that
;;;   evaluating a system does not need (gnu artwork).
;;; - The root of a GNU/Hurd menu entry ("root=part:1:device:hd0", "wd0"
;;;   with "noide") is Guix's, but Guix resolves a labelled or UUID root by
;;;   looking for that partition on the machine evaluating the configuration
;;;   (and uses partition 1 of disk 0 when there is none, as on build
;;;   machines); schemos never reads the machine's disks, and always writes
;;;   what Guix writes when it finds none.

(define-module (gnu bootloader grub)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module (gnu bootloader)
  #:use-module (gnu system uuid)
  #:use-module (gnu system file-systems)
  #:use-module (gnu packages bootloaders)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-26)
  #:use-module (ice-9 regex)
  #:export (grub-theme
            grub-theme?
            grub-theme-image
            grub-theme-resolution
            grub-theme-color-normal
            grub-theme-color-highlight
            grub-theme-gfxmode

            install-grub-efi-removable
            make-grub-efi-installer

            grub-bootloader
            grub-efi-bootloader
            grub-efi-removable-bootloader
            grub-efi32-bootloader
            grub-efi-netboot-bootloader
            grub-efi-netboot-removable-bootloader
            grub-mkrescue-bootloader
            grub-minimal-bootloader

            grub-configuration))

(define (artwork-file file)
  "FILE in Guix's artwork repository."
  (file-append (module-ref (resolve-interface '(gnu artwork))
                           '%artwork-repository)
               file))

(define-record-type* <grub-theme>
  ;; Default theme contributed by Felipe López.
  grub-theme make-grub-theme
  grub-theme?
  (image           grub-theme-image
                   (default (artwork-file "/grub/GuixSD-fully-black-4-3.svg")))
  (resolution      grub-theme-resolution
                   (default '(1024 . 768)))
  (color-normal    grub-theme-color-normal
                   (default '((fg . light-gray) (bg . black))))
  (color-highlight grub-theme-color-highlight
                   (default '((fg . yellow) (bg . black))))
  (gfxmode         grub-theme-gfxmode
                   (default '("auto"))))          ;list of string


;;;
;;; Configuration file.
;;;

(define (grub-setup-io config)
  "Return the GRUB commands that configure the input / output terminals of
CONFIG, as a string for grub.cfg."
  (let* ((symbols->string (lambda (lst)
                            (string-join (map symbol->string lst) " ")))
         (outputs (bootloader-configuration-terminal-outputs config))
         (inputs (bootloader-configuration-terminal-inputs config))
         (unit (bootloader-configuration-serial-unit config))
         (speed (bootloader-configuration-serial-speed config))

         ;; GRUB_TERMINAL_OUTPUT and GRUB_TERMINAL_INPUT of the GRUB manual,
         ;; section "Simple Configuration Handling".  As in Guix, any other
         ;; terminal, unit or speed makes this fail.
         (valid-outputs '(console serial serial_0 serial_1 serial_2 serial_3
                          gfxterm vga_text mda_text morse spkmodem))
         (valid-inputs '(console serial serial_0 serial_1 serial_2 serial_3
                         at_keyboard usb_keyboard)))
    (string-append
     ;; UNIT and SPEED are arguments of the same "serial" command.
     (if (or unit speed)
         (string-append
          "serial"
          (if unit
              ;; COM ports 1 through 4
              (if (and (exact-integer? unit) (<= unit 3) (>= unit 0))
                  (string-append " --unit=" (number->string unit))
                  #f)
              "")
          (if speed
              (if (exact-integer? speed)
                  (string-append " --speed=" (number->string speed))
                  #f)
              "")
          "\n")
         "")
     (if (null? inputs)
         ""
         (string-append
          "terminal_input "
          (symbols->string
           (map (lambda (input)
                  (if (memq input valid-inputs) input #f))
                inputs))
          "\n"))
     "terminal_output "
     (symbols->string
      (map (lambda (output)
             (if (memq output valid-outputs) output #f))
           outputs)))))

(define (grub-root-search device file)
  "Return the GRUB 'search' command to look for DEVICE, which contains FILE,
a gexp, as a gexp or string for grub.cfg."
  ;; FILE may be a GRUB device file name such as "(hd0,msdos1)/vmlinuz", in
  ;; which case no 'search' is needed.
  (if (and (string? file) (not (string-prefix? "/" file)))
      ""
      (cond ((uuid? device)
             (format #f "search --fs-uuid --set ~a" (uuid->string device)))
            ((file-system-label? device)
             (format #f "search --label --set ~a"
                     (file-system-label->string device)))
            ((and (string? device) (string-contains device ":/"))
             ;; An NFS root: files come over TFTP.
             "set root=(tftp)")
            (else
             #~(format #f "search --file --set ~a" #$file)))))

;;; GNU/Hurd device names.  Guix has these in (gnu build file-systems).

(define %device-name-regexp "/dev/[hsvw]d([abcd])([0-9]*)")
(define %hurd-device-name-regexp "part:([0-9]*):device:[hw]d([0-9]*)")

(define (device-spec->device-name device-spec)
  "Return DEVICE-SPEC, a device string of a file system, as a Linux
/dev/XdYZ device name, or #f.  Guix also resolves a label or UUID by looking
for a partition that carries it on the machine evaluating the configuration,
and gets #f when there is none, as on a build machine; schemos never looks
at the machine's disks (the result would depend on it), so a label or UUID
gives #f."
  (cond ((string-match %device-name-regexp device-spec)
         device-spec)
        ((string-match %hurd-device-name-regexp device-spec)
         (hurd-device-name->device-name device-spec))
        (else #f)))

(define* (device-name->hurd-device-name device-name #:key (disk "w"))
  "Return DEVICE-NAME as a Hurd device name:
     part:PART-NUMBER:device:DISKdDISK-INDEX
Default to part:1:device:DISKd0 if partition cannot be found."
  (let* ((m (and=> device-name (cut string-match %device-name-regexp <>)))
         (disk-char (and m (and=> (match:substring m 1)
                                  (compose car string->list))))
         (disk-index (or (and disk-char
                              (- (char->integer disk-char) (char->integer #\a)))
                         0))
         (partition-number (or (and m (and=> (match:substring m 2)
                                             string->number))
                               1)))
    (format #f "part:~a:device:~ad~a" partition-number disk disk-index)))

(define* (hurd-device-name->device-name device-name #:key (disk "s"))
  "Return DEVICE-NAME, a Hurd device name, as a Linux /dev/XdYZ name."
  (let* ((m (and=> device-name (cut string-match %hurd-device-name-regexp <>)))
         (disk-index-string (and=> m (cut match:substring <> 2)))
         (disk-index (or (and=> disk-index-string string->number)
                         0))
         (disk-index-char (integer->char (+ disk-index (char->integer #\a))))
         (partition-string (and=> m (cut match:substring <> 1)))
         (partition-number (or (and=> partition-string string->number)
                               1)))
    (format #f "/dev/~ad~a~a" disk disk-index-char partition-number)))

(define* (make-grub-configuration grub config entries
                                  #:key
                                  (locale #f)
                                  (system #f)
                                  (old-entries '())
                                  (store-crypto-devices '())
                                  store-directory-prefix)
  "Return the grub.cfg file (a file-like object) for CONFIG, a
<bootloader-configuration>, with ENTRIES and the entries of CONFIG, and
OLD-ENTRIES in a sub-menu."
  (define all-entries
    (append entries (bootloader-configuration-menu-entries config)))

  (define (menu-entry->gexp entry)
    (let ((label (menu-entry-label entry))
          (linux (menu-entry-linux entry))
          (device (menu-entry-device entry))
          (kernel (menu-entry-multiboot-kernel entry))
          (chain-loader (menu-entry-chain-loader entry)))
      (cond
       (linux
        #~(format port "menuentry ~s {
  ~a
  linux ~a ~a
  initrd ~a ~a
}~%"
                  #$label
                  #$(grub-root-search device linux)
                  #$linux (string-join (list #$@(menu-entry-linux-arguments entry)))
                  (or #$(bootloader-configuration-extra-initrd config) "")
                  #$(menu-entry-initrd entry)))
       (kernel
        (let* ((arguments (menu-entry-multiboot-arguments entry))
               ;; Mach's built-in IDE driver names disks "hdX"; rumpdisk,
               ;; used when "noide" disables that driver, names them "wdX".
               (disk (if (member "noide" arguments) "w" "h"))
               (device-spec (and=> device file-system-device->string))
               (device-name (and=> device-spec device-spec->device-name))
               (modules (menu-entry-multiboot-modules entry)))
          #~(format port "
menuentry ~s {
  multiboot ~a root=~a~a~a
}~%"
                    #$label
                    #$kernel
                    #$(device-name->hurd-device-name device-name #:disk disk)
                    (string-join (list #$@arguments) " " 'prefix)
                    (string-join (map string-join '#$modules)
                                 "\n  module " 'prefix))))
       (chain-loader
        #~(format port "
menuentry ~s {
  ~a
  chainloader ~a
}~%"
                  #$label
                  #$(grub-root-search device chain-loader)
                  #$chain-loader)))))

  (define builder
    #~(call-with-output-file #$output
        (lambda (port)
          (format port
                  "# This file was generated from your Guix configuration.  Any changes
# will be lost upon reconfiguration.
")
          (format port "~a~%" #$(grub-setup-io config))
          (format port "
set default=~a
set timeout=~a~%"
                  #$(bootloader-configuration-default-entry config)
                  #$(bootloader-configuration-timeout config))
          #$@(map menu-entry->gexp all-entries)

          #$@(if (pair? old-entries)
                 #~((format port "
submenu \"GNU system, old configurations...\" {~%")
                    #$@(map menu-entry->gexp old-entries)
                    (format port "}~%"))
                 #~())
          (format port "
if [ \"${grub_platform}\" == efi ]; then
  menuentry \"Firmware setup\" {
    fwsetup
  }
fi~%"))))

  ;; This file is unique to the system: no point substituting it.
  (computed-file "grub.cfg" builder
                 #:options '(#:local-build? #t
                             #:substitutable? #f)))

(define (grub-configuration-file config . args)
  "The grub.cfg of CONFIG, made with the GRUB package of its bootloader."
  (let* ((bootloader (bootloader-configuration-bootloader config))
         (grub (bootloader-package bootloader)))
    (apply make-grub-configuration grub config args)))

(define (grub-efi-configuration-file . args)
  (apply make-grub-configuration grub-efi args))

(define grub-cfg "/boot/grub/grub.cfg")


;;;
;;; Install procedures.
;;;

(define install-grub
  #~(lambda (bootloader device mount-point)
      (let ((grub (string-append bootloader "/sbin/grub-install"))
            (install-dir (string-append mount-point "/boot")))
        ;; Install GRUB on DEVICE which is mounted at MOUNT-POINT.  If DEVICE
        ;; is #f, then we populate the disk-image rooted at MOUNT-POINT.
        (if device
            (begin
              ;; Tell 'grub-install' that there might be a LUKS-encrypted
              ;; /boot or root partition.
              (setenv "GRUB_ENABLE_CRYPTODISK" "y")

              ;; Hide potentially confusing messages from the user, such as
              ;; "Installing for i386-pc platform."
              (invoke/quiet grub "--no-floppy" "--target=i386-pc"
                            "--boot-directory" install-dir
                            device))
            ;; When creating a disk-image, only install a font and GRUB modules.
            (let* ((fonts (string-append install-dir "/grub/fonts")))
              (mkdir-p fonts)
              (copy-file (string-append bootloader "/share/grub/unicode.pf2")
                         (string-append fonts "/unicode.pf2"))
              (copy-recursively (string-append bootloader "/lib/")
                                install-dir))))))

(define install-grub-disk-image
  #~(lambda (bootloader root-index image)
      ;; Install GRUB on the given IMAGE.  The root partition index is
      ;; ROOT-INDEX.
      (let ((grub-mkimage
             (string-append bootloader "/bin/grub-mkimage"))
            (modules '("biosdisk" "part_msdos" "fat" "ext2"))
            (grub-bios-setup
             (string-append bootloader "/sbin/grub-bios-setup"))
            (root-device (format #f "hd0,msdos~a" root-index))
            (boot-img (string-append bootloader "/lib/grub/i386-pc/boot.img"))
            (device-map "device.map"))

        ;; A minimal, standalone GRUB image for the MBR gap.
        (apply invoke grub-mkimage
               "-O" "i386-pc"
               "-o" "core.img"
               "-p" (format #f "(~a)/boot/grub" root-device)
               modules)

        ;; A device mapping file.
        (call-with-output-file device-map
          (lambda (port)
            (format port "(hd0) ~a~%" image)))

        ;; The default boot.img, written on the MBR by GRUB-BIOS-SETUP.
        (copy-file boot-img "boot.img")

        ;; Install "boot.img" and "core.img" on IMAGE; the rest of GRUB is
        ;; read from ROOT-DEVICE at boot.
        (invoke grub-bios-setup
                "-m" device-map
                "-r" root-device
                "-d" "."
                image))))

(define* (make-grub-efi-installer #:key efi32? removable?)
  "Return a G-expression of a procedure for installing GRUB on a UEFI
system.  If EFI32? is #t, then a 32-bit target will be used.  If
REMOVABLE? is #t, GRUB will be installed for Removable Media Boot."
  (define extra-args
    (filter identity
            (list (and efi32? "--target=i386-efi")
                  ;; This does not update UEFI boot entries, like --no-nvram.
                  (and removable? "--removable"))))
  #~(lambda (bootloader efi-dir mount-point)
      ;; Nothing to do when making a disk image.
      (when efi-dir
        (let ((grub-install (string-append bootloader "/sbin/grub-install"))
              (install-dir (string-append mount-point "/boot"))
              ;; When installing Guix, EFI-DIR is often mounted below
              ;; MOUNT-POINT rather than at /boot/efi.
              (target-esp (if (file-exists? (string-append mount-point efi-dir))
                              (string-append mount-point efi-dir)
                              efi-dir)))
          (setenv "GRUB_ENABLE_CRYPTODISK" "y")
          (invoke/quiet grub-install "--bootloader-id=Guix"
                        "--boot-directory" install-dir
                        "--efi-directory" target-esp
                        #$@extra-args)))))

(define install-grub-efi-removable
  ;; Deprecated: use (make-grub-efi-installer #:removable? #t).
  (make-grub-efi-installer #:removable? #t))

(define (make-grub-efi-netboot-installer grub-efi grub-cfg subdir)
  "An installer that copies a pre-installed GRUB netboot directory SUBDIR
below the bootloader target, for network booting over TFTP."
  #~(lambda (bootloader target mount-point)
      (when target
        (copy-recursively bootloader
                          (string-append mount-point target "/")
                          #:follow-symlinks? #t))))


;;;
;;; Bootloader definitions.
;;;
;;; For all these grub-bootloader variables the path to /boot/grub/grub.cfg
;;; is fixed.  Inheriting and overwriting the field 'configuration-file' will
;;; break 'guix system delete-generations', 'guix system switch-generation',
;;; and 'guix system roll-back'.

(define grub-bootloader
  (bootloader
   (name 'grub)
   (package grub)
   (installer install-grub)
   (disk-image-installer install-grub-disk-image)
   (configuration-file grub-cfg)
   (configuration-file-generator grub-configuration-file)))

(define grub-minimal-bootloader
  (bootloader
   (inherit grub-bootloader)
   (package grub-minimal)))

(define grub-efi-bootloader
  (bootloader
   (name 'grub-efi)
   (package grub-efi)
   (installer (make-grub-efi-installer))
   (disk-image-installer #f)
   (configuration-file grub-cfg)
   (configuration-file-generator grub-configuration-file)))

(define grub-efi-removable-bootloader
  (bootloader
   (inherit grub-efi-bootloader)
   (name 'grub-efi-removable-bootloader)
   (installer (make-grub-efi-installer #:removable? #t))))

(define grub-efi32-bootloader
  (bootloader
   (inherit grub-efi-bootloader)
   (installer (make-grub-efi-installer #:efi32? #t))
   (name 'grub-efi32)
   (package grub-efi32)))

(define (make-grub-efi-netboot-bootloader name subdir)
  (bootloader
   (name name)
   (package (make-grub-efi-netboot (symbol->string name) subdir))
   (installer (make-grub-efi-netboot-installer grub-efi grub-cfg subdir))
   (disk-image-installer #f)
   (configuration-file grub-cfg)
   (configuration-file-generator grub-efi-configuration-file)))

(define grub-efi-netboot-bootloader
  (make-grub-efi-netboot-bootloader 'grub-efi-netboot-bootloader
                                    "efi/Guix"))

(define grub-efi-netboot-removable-bootloader
  (make-grub-efi-netboot-bootloader 'grub-efi-netboot-removable-bootloader
                                    "efi/boot"))

(define grub-mkrescue-bootloader
  (bootloader
   (inherit grub-efi-bootloader)
   (package grub-hybrid)))


;;;
;;; Compatibility macros.
;;;

(define-syntax grub-configuration
  (syntax-rules (grub)
    ((_ (grub package) fields ...)
     (if (eq? package grub)
         (bootloader-configuration
          (bootloader grub-bootloader)
          fields ...)
         (bootloader-configuration
          (bootloader grub-efi-bootloader)
          fields ...)))
    ((_ fields ...)
     (bootloader-configuration
      (bootloader grub-bootloader)
      fields ...))))
